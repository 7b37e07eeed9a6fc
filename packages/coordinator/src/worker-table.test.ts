import { runWorker } from '@descent/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { Coordinator } from './coordinator.js';
import { Cleanup, quiet, tinyConfig, tinyData } from './test-helpers.js';
import type { WorkerInfo } from './worker-info.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('Coordinator.workerTable', () => {
  it('lists each admitted worker with its address, accepted shards and time since its last frame', async () => {
    const data = tinyData();
    let seen: WorkerInfo[] = [];
    const c: Coordinator = cleanup.coordinator(
      await Coordinator.start({
        config: tinyConfig(),
        data,
        ...quiet,
        observer: {
          onStep: (r) => {
            if (r.step === 2) seen = c.workerTable();
          },
        },
      }),
    );
    const worker = runWorker({ url: c.url, data, name: 'w', signal: cleanup.abort(), ...quiet });
    await c.run();
    await worker;
    expect(seen).toHaveLength(1);
    // Three steps of six micro-shards each were accepted by the time step 2 was reported.
    expect(seen[0]).toMatchObject({ name: 'w#1', link: 'socket', ready: true, shards: 18 });
    expect(seen[0].address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(seen[0].lastHeardMs).toBeGreaterThanOrEqual(0);
  });
});
