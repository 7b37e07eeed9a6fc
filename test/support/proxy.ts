import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between a worker and the coordinator whose connections a test can cut, as a flaky network
 * would, while both processes stay alive. It keeps listening, so the worker can dial through it again.
 */
export class CuttableProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Connections relayed so far. */
  connections = 0;

  private constructor(server: Server) {
    this.server = server;
  }

  static start(targetPort: number): Promise<CuttableProxy> {
    const server = createServer();
    const proxy = new CuttableProxy(server);
    server.on('connection', (client) => {
      proxy.connections++;
      const upstream = connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on('close', () => proxy.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(proxy)));
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Drops every relayed connection at once (no close handshake). */
  cut(): void {
    for (const s of this.sockets) s.resetAndDestroy();
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
