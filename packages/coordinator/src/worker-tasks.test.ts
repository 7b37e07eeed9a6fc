import { buildNet, createBackend } from '@descent/core';
import { decode, encode, WORKER_KINDS, type WorkerMessage } from '@descent/protocol';
import { runWorker } from '@descent/worker';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { quiet, tinyConfig, tinyData } from './test-helpers.js';

describe('a worker given a malformed task', () => {
  it('answers a range of shards that is not a tree node, or indices that do not fit it, with an error and keeps computing', async () => {
    const config = tinyConfig({ batch: 12, shards: 4 });
    const data = tinyData();
    const net = buildNet(config.model, createBackend('js'), config.seed, 1);
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as { port: number };
    const seen: WorkerMessage[] = [];
    const abort = new AbortController();
    server.on('connection', (socket) => {
      socket.on('message', (frame) => {
        const out = decode(frame, { accept: WORKER_KINDS });
        if (!out.ok) throw out.error;
        seen.push(out.message);
        if (out.message.kind === 'hello') {
          socket.send(
            encode({
              kind: 'welcome',
              workerId: 1,
              config,
              backend: 'js',
              step: 0,
              version: 0,
              fullHashEvery: 1,
              params: net.params,
              stats: net.stats,
              fingerprint: data.fingerprint,
              datasetOffered: false,
              heartbeatMs: 60_000,
            }),
          );
        }
        if (out.message.kind === 'ready') {
          const indices = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
          const task = { kind: 'task', step: 0 } as const;
          socket.send(encode({ ...task, shard: 1, end: 3, indices: indices(6) }));
          socket.send(encode({ ...task, shard: 0, end: 2, indices: indices(5) }));
          socket.send(encode({ ...task, shard: 2, end: 4, indices: indices(6) }));
        }
        if (out.message.kind === 'result') abort.abort();
      });
    });
    await runWorker({ url: `ws://127.0.0.1:${port}`, data, signal: abort.signal, ...quiet });
    server.close();
    const errors = seen.flatMap((m) => (m.kind === 'error' ? [m.message] : []));
    expect(errors).toEqual([
      expect.stringContaining('not a node'),
      expect.stringContaining('hold 6 rows, but 5 indices'),
    ]);
    const results = seen.filter((m) => m.kind === 'result');
    expect(results).toMatchObject([{ shard: 2, end: 4, rows: 6 }]);
  });
});
