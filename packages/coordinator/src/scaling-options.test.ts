import { BusyPoller } from '@descent/protocol';
import { runWorker } from '@descent/worker';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Coordinator } from './coordinator.js';
import type { StepRecord } from './observer.js';
import type { CoordinatorOptions } from './options.js';
import { Cleanup, quiet, tinyConfig, tinyData } from './test-helpers.js';

const data = tinyData();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function train(socketWorkers: number, extra: Partial<CoordinatorOptions> = {}) {
  const c = cleanup.coordinator(
    await Coordinator.start({
      config: tinyConfig(),
      data,
      inProcessWorkers: socketWorkers === 0 ? 1 : 0,
      minWorkers: Math.max(1, socketWorkers),
      ...quiet,
      ...extra,
    }),
  );
  const workers = Array.from({ length: socketWorkers }, (_, i) =>
    runWorker({ url: c.url, data, name: `w${i}`, signal: cleanup.abort(), ...quiet }),
  );
  const result = await c.run();
  await Promise.all(workers);
  return result;
}

describe('scaling options keep the weights independent of the worker count', () => {
  it('backup shards: bitwise the same parameters as without them, for 1, 2 and 3 workers', async () => {
    const plain = await train(2);
    for (const n of [1, 2, 3]) {
      const backed = await train(n, { backupShards: n - 1 });
      expect(backed.paramsSha256, `${n} workers`).toBe(plain.paramsSha256);
    }
  });

  it('16-bit gradients on the wire: one sha per codec for in-process, 1 and 3 workers, unlike float32', async () => {
    const f32 = await train(1);
    for (const gradWire of ['f16', 'bf16'] as const) {
      const local = await train(0, { gradWire });
      const one = await train(1, { gradWire });
      const three = await train(3, { gradWire, backupShards: 1 });
      expect(one.paramsSha256, gradWire).toBe(local.paramsSha256);
      expect(three.paramsSha256, gradWire).toBe(local.paramsSha256);
      expect(local.paramsSha256, gradWire).not.toBe(f32.paramsSha256);
    }
  });

  it('a busy wait has the coordinator poll after every worker frame, and changes no weight', async () => {
    const touch = vi.spyOn(BusyPoller.prototype, 'touch');
    const plain = await train(1);
    const polled = await train(1, { busyWaitMs: 400 });
    const budgets = touch.mock.contexts.map((poller) => (poller as BusyPoller).budgetMs);
    touch.mockRestore();
    // Every result frame of the 1-worker run with a busy wait touched a poller of that budget.
    expect(budgets.filter((b) => b === 400).length).toBeGreaterThanOrEqual(tinyConfig().iters);
    expect(polled.paramsSha256).toBe(plain.paramsSha256);
  });

  it('a simulated link delays every step by at least a round trip, and changes no weight', async () => {
    const plain = await train(1);
    const steps: StepRecord[] = [];
    const linked = await train(1, {
      link: { latencyMs: 15, bitsPerSecond: 1e9 },
      observer: { onStep: (s) => steps.push(s) },
    });
    expect(linked.paramsSha256).toBe(plain.paramsSha256);
    // A task out and its result back: two latencies in the wait of every step.
    const waits = steps.map((s) => s.timings.waitMs).sort((a, b) => a - b);
    expect(waits[0]).toBeGreaterThan(2 * 15 * 0.9);
  });
});
