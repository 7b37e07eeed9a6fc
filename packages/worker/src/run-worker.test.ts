import { createServer } from 'node:net';
import type { DataSplits } from '@descent/core';
import { BusyPoller } from '@descent/protocol';
import { describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { runWorker } from './run-worker.js';
import { silent } from './test-silent.js';

const noData = { train: {}, test: {}, fingerprint: 'x', source: 'none' } as unknown as DataSplits;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('runWorker', () => {
  it('gives up with DESCENT_ERR_CONNECT after its retries when nothing listens', async () => {
    const port = await closedPort();
    await expect(
      runWorker({
        url: `ws://127.0.0.1:${port}`,
        data: noData,
        retries: 2,
        backoffMs: 1,
        maxBackoffMs: 2,
        logger: silent,
      }),
    ).rejects.toMatchObject({ code: 'DESCENT_ERR_CONNECT' });
  });

  it('rejects a URL that is not ws:// or wss://', async () => {
    await expect(
      runWorker({ url: 'http://127.0.0.1:1', data: noData, logger: silent }),
    ).rejects.toMatchObject({
      code: 'DESCENT_ERR_BAD_OPTION',
    });
  });

  it('refuses a busy-wait budget outside [0, 1000] ms', async () => {
    await expect(
      runWorker({ url: 'ws://127.0.0.1:1', data: noData, logger: silent, busyWaitMs: -1 }),
    ).rejects.toMatchObject({
      code: 'DESCENT_ERR_BAD_OPTION',
      message: /busyWaitMs must lie in \[0, 1000\]/,
    });
  });

  it('with a busy wait, touches its poller on every frame from the coordinator', async () => {
    const touch = vi.spyOn(BusyPoller.prototype, 'touch');
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as { port: number };
    const framed = new Promise<void>((resolve) =>
      server.once('connection', (socket) =>
        socket.once('message', () => socket.send(Buffer.from([0xc1]), () => resolve())),
      ),
    );
    const stop = new AbortController();
    const worker = runWorker({
      url: `ws://127.0.0.1:${port}`,
      data: noData,
      logger: silent,
      busyWaitMs: 400,
      signal: stop.signal,
    });
    await framed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const budgets = touch.mock.contexts.map((poller) => (poller as BusyPoller).budgetMs);
    touch.mockRestore();
    stop.abort();
    await worker;
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(budgets).toEqual([400]);
  });

  it('resolves at once when its signal is already aborted', async () => {
    const signal = AbortSignal.abort();
    const summary = await runWorker({ url: 'ws://127.0.0.1:1', data: noData, signal, logger: silent });
    expect(summary.reason).toBe('aborted');
  });
});
