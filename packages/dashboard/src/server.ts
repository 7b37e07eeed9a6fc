import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findAsset, pagePolicy } from './assets.js';
import { COOKIE, checkAccess, cookieValue, hostAllowed, isLoopback } from './auth.js';
import { DashboardError, DashboardErrorCode } from './dashboard-error.js';
import type { RunState } from './run-state.js';

export interface DashboardServerOptions {
  readonly state: RunState;
  /** Address to bind. Default '127.0.0.1'; any other address needs `token`. */
  readonly host?: string;
  /** Port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Shared secret asked of every request when set. Never logged. */
  readonly token?: string;
  /** Milliseconds between pushes to open pages. Default 500. */
  readonly flushMs?: number;
  /** Called before each push, to refresh what the state cannot learn from records (the worker probe). */
  readonly beforeFlush?: () => void;
}

/**
 * Serves the dashboard page, its assets and the run as a Server-Sent Events stream (a snapshot, then a delta
 * every `flushMs`), plus `/api/state` for scripts and tests.
 */
export class DashboardServer {
  private readonly streams = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;
  private readonly policy = pagePolicy();

  private constructor(
    private readonly options: DashboardServerOptions,
    private readonly server: Server,
  ) {}

  static async start(options: DashboardServerOptions): Promise<DashboardServer> {
    const host = options.host ?? '127.0.0.1';
    if (!isLoopback(host) && !options.token) {
      throw new DashboardError(
        DashboardErrorCode.tokenRequired,
        `a dashboard on ${host} is visible beyond this machine; give a token (--token-file FILE or DESCENT_TOKEN) ` +
          'or bind it to 127.0.0.1',
      );
    }
    const server = createServer();
    const dashboard = new DashboardServer({ ...options, host }, server);
    server.on('request', (req, res) => dashboard.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new DashboardError(
            DashboardErrorCode.listen,
            `the dashboard cannot listen on ${host}:${options.port ?? 0}: ${err.code ?? err.message}` +
              (err.code === 'EADDRINUSE' ? '; pick another --dashboard-port (0 takes a free one)' : ''),
            { cause: err },
          ),
        ),
      );
      server.listen(options.port ?? 0, host, () => resolve());
    });
    dashboard.timer = setInterval(() => dashboard.flush(), options.flushMs ?? 500);
    dashboard.timer.unref();
    return dashboard;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The page's address (without the token). */
  get url(): string {
    const host = this.options.host ?? '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}/`;
  }

  /** Pushes what changed to every open page now (also run on a timer). */
  flush(): void {
    if (this.streams.size === 0) return;
    this.options.beforeFlush?.();
    const frame = `data: ${JSON.stringify(this.options.state.delta())}\n\n`;
    for (const res of this.streams) res.write(frame);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.flush();
    for (const res of this.streams) res.end();
    this.streams.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (!hostAllowed(req, this.options.host ?? '127.0.0.1')) {
      text(res, 403, 'this dashboard answers only requests to 127.0.0.1 or localhost\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      text(res, 405, 'only GET\n');
      return;
    }
    const access = checkAccess(req, url, this.options.token);
    if (access === 'denied') {
      text(res, 401, 'this dashboard needs the run token: open it as …/?token=<the token>\n');
      return;
    }
    if (access === 'query' && this.options.token) {
      // Trade the token in the address bar for a cookie, so it does not linger in history or get shared.
      url.searchParams.delete('token');
      res.writeHead(303, {
        location: url.pathname + url.search,
        'set-cookie': `${COOKIE}=${cookieValue(this.options.token)}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end();
      return;
    }
    if (url.pathname === '/api/stream') {
      this.openStream(res);
      return;
    }
    if (url.pathname === '/api/state') {
      this.options.beforeFlush?.();
      send(res, 200, 'application/json', JSON.stringify(this.options.state.snapshot()));
      return;
    }
    const asset = findAsset(url.pathname);
    if (!asset) {
      text(res, 404, `no such page: ${url.pathname}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': asset.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(url.pathname === '/' || url.pathname === '/index.html'
        ? { 'content-security-policy': this.policy, 'x-frame-options': 'DENY' }
        : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  private openStream(res: ServerResponse): void {
    // Bring the open pages up to date first, so the snapshot below is exactly where their deltas resume.
    this.flush();
    this.options.beforeFlush?.();
    const snapshot = this.options.state.snapshot();
    this.options.state.markSent();
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(`retry: 2000\ndata: ${JSON.stringify(snapshot)}\n\n`);
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
  res.end(body);
}

function text(res: ServerResponse, status: number, body: string): void {
  send(res, status, 'text/plain; charset=utf-8', body);
}
