import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

const staticDir = new URL('../static/', import.meta.url);
// The page's scripts, compiled by tsconfig.client.json (the same place from src/ under test and from dist/).
const clientDir = new URL('../dist/client/', import.meta.url);
const require = createRequire(import.meta.url);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * Every file the page loads, served from this package and its dependencies: the dashboard works with no
 * network beyond the coordinator itself. Unknown paths are null.
 */
export function findAsset(path: string): Asset | null {
  if (path === '/' || path === '/index.html') return read(new URL('index.html', staticDir));
  if (path === '/style.css') return read(new URL('style.css', staticDir));
  if (path === '/vendor/uPlot.esm.js') return read(require.resolve('uplot/dist/uPlot.esm.js'));
  if (path === '/vendor/uPlot.min.css') return read(require.resolve('uplot/dist/uPlot.min.css'));
  const app = /^\/app\/([a-z][a-z-]*\.js)$/.exec(path);
  if (app) return read(new URL(app[1], clientDir));
  return null;
}

function read(file: URL | string): Asset | null {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  try {
    return {
      type: TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream',
      body: readFileSync(path),
    };
  } catch {
    return null;
  }
}

/** The page's Content-Security-Policy: own origin only, plus the hash of its inline import map. */
export function pagePolicy(): string {
  const html = findAsset('/')?.body.toString('utf8') ?? '';
  const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(map, 'utf8').digest('base64');
  return `default-src 'self'; script-src 'self' 'sha256-${hash}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'`;
}
