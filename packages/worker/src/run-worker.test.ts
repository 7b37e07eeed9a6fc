import { createServer } from 'node:net';
import type { DataSplits } from '@descent/core';
import { describe, expect, it } from 'vitest';
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

  it('resolves at once when its signal is already aborted', async () => {
    const signal = AbortSignal.abort();
    const summary = await runWorker({ url: 'ws://127.0.0.1:1', data: noData, signal, logger: silent });
    expect(summary.reason).toBe('aborted');
  });
});
