import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint } from '@descent/core';
import { runWorker } from '@descent/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { Coordinator } from './coordinator.js';
import type { CoordinatorEvent } from './observer.js';
import { Cleanup, factored, quiet, RawPeer, tinyConfig, tinyData } from './test-helpers.js';

const data = tinyData();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function joined(url: string, name: string): Promise<RawPeer> {
  const peer = cleanup.peer(new RawPeer(url));
  await peer.join(name, data.fingerprint);
  peer.send({ kind: 'ready' });
  return peer;
}

describe('every worker lost', () => {
  it('stops after the patience with a checkpoint mid-step, and resuming from it ends with the same weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-patience-'));
    try {
      const clean = cleanup.coordinator(
        await Coordinator.start({ config: tinyConfig(), data, inProcessWorkers: 1, ...quiet, ...factored }),
      );
      const expected = (await clean.run()).paramsSha256;
      const events: CoordinatorEvent[] = [];
      const c = cleanup.coordinator(
        await Coordinator.start({
          config: tinyConfig(),
          data,
          patienceMs: 200,
          checkpointDir: dir,
          observer: { onEvent: (e) => events.push(e) },
          ...quiet,
          ...factored,
        }),
      );
      const peer = await joined(c.url, 'only');
      const run = c.run();
      // The peer takes step 0's shards and vanishes without answering: the step is drawn but never applied.
      await peer.nextOf('task');
      peer.close();
      await expect(run).rejects.toMatchObject({
        code: 'DESCENT_ERR_NO_WORKERS',
        message: expect.stringContaining(dir),
      });
      expect(events.some((e) => e.type === 'waiting' && e.on === 'workers')).toBe(true);
      const checkpoint = loadCheckpoint(dir);
      expect(checkpoint.step).toBe(0);
      const resumed = cleanup.coordinator(
        await Coordinator.start({
          config: tinyConfig(),
          data,
          inProcessWorkers: 1,
          resume: checkpoint,
          ...quiet,
          ...factored,
        }),
      );
      expect((await resumed.run()).paramsSha256).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps its state while waiting and goes on when a worker joins within the patience', async () => {
    const clean = cleanup.coordinator(
      await Coordinator.start({ config: tinyConfig(), data, inProcessWorkers: 1, ...quiet, ...factored }),
    );
    const expected = (await clean.run()).paramsSha256;
    const c = cleanup.coordinator(
      await Coordinator.start({ config: tinyConfig(), data, patienceMs: 30_000, ...quiet, ...factored }),
    );
    const peer = await joined(c.url, 'first');
    const run = c.run();
    await peer.nextOf('task');
    peer.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(c.workerCount).toBe(0);
    const worker = runWorker({ url: c.url, data, signal: cleanup.abort() });
    expect((await run).paramsSha256).toBe(expected);
    await worker;
  });
});

describe('a flooding connection', () => {
  it('is disconnected with DESCENT_ERR_RATE_LIMITED once over its message budget, and the run is unharmed', async () => {
    const c = cleanup.coordinator(
      await Coordinator.start({
        config: tinyConfig(),
        data,
        inProcessWorkers: 1,
        messagesPerSecond: 50,
        messageBurst: 100,
        ...quiet,
        ...factored,
      }),
    );
    const peer = await joined(c.url, 'flood');
    const codes: string[] = [];
    const collect = (async () => {
      for (;;) {
        const m = await peer.next();
        if (m.kind === 'error') codes.push(m.code);
      }
    })();
    void collect;
    for (let i = 0; i < 1000; i++) peer.send({ kind: 'heartbeat', at: i });
    expect(await peer.closed).toBe(1008);
    expect(codes).toContain('DESCENT_ERR_RATE_LIMITED');
    expect((await c.run()).steps).toBe(8);
  });
});
