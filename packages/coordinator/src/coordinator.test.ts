import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint } from '@descent/core';
import type { CoordinatorMessage } from '@descent/protocol';
import { runWorker } from '@descent/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { Coordinator } from './coordinator.js';
import type { EvalRecord, StepRecord } from './observer.js';
import type { CoordinatorOptions } from './options.js';
import { Cleanup, factored, quiet, RawPeer, tinyConfig, tinyData } from './test-helpers.js';

const data = tinyData();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function trainWith(socketWorkers: number, extra: Partial<CoordinatorOptions> = {}) {
  const c = cleanup.coordinator(
    await Coordinator.start({
      config: tinyConfig(),
      data,
      minWorkers: Math.max(1, socketWorkers + (extra.inProcessWorkers ?? 0)),
      ...quiet,
      ...extra,
    }),
  );
  const workers = Array.from({ length: socketWorkers }, (_, i) =>
    runWorker({ url: c.url, data, name: `w${i}`, signal: cleanup.abort(), ...quiet }),
  );
  const result = await c.run();
  const summaries = await Promise.all(workers);
  return { result, summaries };
}

/** A run with one socket worker, watched by a peer that joins but never says ready: it sees every broadcast. */
async function watched(extra: Partial<CoordinatorOptions>) {
  const c = cleanup.coordinator(await Coordinator.start({ config: tinyConfig(), data, ...quiet, ...extra }));
  const peer = cleanup.peer(new RawPeer(c.url));
  const welcome = await peer.join('watcher', data.fingerprint);
  const worker = runWorker({ url: c.url, data, name: 'w', signal: cleanup.abort(), ...quiet });
  const result = await c.run();
  await worker;
  const seen: CoordinatorMessage[] = [];
  for (let m = await peer.next(); m.kind !== 'bye'; m = await peer.next()) seen.push(m);
  return { result, welcome, seen };
}

describe('Coordinator', () => {
  it('sends a factored run’s steps as updates, not parameters, and ends with the bits of a run that sends parameters', async () => {
    const factors = await watched(factored);
    const whole = await watched({ exchange: 'params' });
    const local = await trainWith(0, { inProcessWorkers: 1 });
    expect(factors.result.exchange).toBe('factors');
    expect(factors.welcome.factored).toBe(true);
    expect(factors.welcome.optimizer?.buffers.v.length).toBe(factors.welcome.params.length);
    const steps = (seen: CoordinatorMessage[], kind: 'update' | 'params') =>
      seen.flatMap((m) => (m.kind === kind ? [m.step] : []));
    expect(steps(factors.seen, 'update')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps(factors.seen, 'params')).toEqual([]);
    expect(whole.result.exchange).toBe('params');
    expect(whole.welcome.factored).toBeUndefined();
    expect(steps(whole.seen, 'params')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps(whole.seen, 'update')).toEqual([]);
    expect(factors.result.paramsSha256).toBe(local.result.paramsSha256);
    expect(whole.result.paramsSha256).toBe(local.result.paramsSha256);
  });

  it('gives bitwise the same final parameters with 2 socket workers, 1 socket worker and the in-process link, sending factors or parameters', async () => {
    const local = await trainWith(0, { inProcessWorkers: 1 });
    const one = await trainWith(1);
    const two = await trainWith(2);
    const twoFactored = await trainWith(2, factored);
    const localFactored = await trainWith(0, { inProcessWorkers: 1, ...factored });
    expect(twoFactored.result.paramsSha256).toBe(local.result.paramsSha256);
    expect(localFactored.result.paramsSha256).toBe(local.result.paramsSha256);
    expect(local.result.steps).toBe(8);
    expect(one.result.paramsSha256).toBe(local.result.paramsSha256);
    expect(two.result.paramsSha256).toBe(local.result.paramsSha256);
    expect(Buffer.from(two.result.params.buffer).equals(Buffer.from(local.result.params.buffer))).toBe(true);
    expect(two.result.workers).toBe(2);
    expect(two.summaries.every((s) => s.reason === 'run finished')).toBe(true);
    expect(two.result.testAcc).toBe(local.result.testAcc);
    // With one socket worker the coordinator evaluates the test set itself: the same figures.
    const figures = (r: typeof one.result) => [r.trainAcc, r.testAcc, r.testLoss];
    expect(figures(one.result)).toEqual(figures(local.result));
  });

  it('reports every step and evaluation to the observer, with timings', async () => {
    const steps: StepRecord[] = [];
    const evals: EvalRecord[] = [];
    const { result } = await trainWith(1, {
      observer: { onStep: (s) => steps.push(s), onEval: (e) => evals.push(e) },
    });
    expect(steps.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(steps.every((s) => Number.isFinite(s.loss) && s.rows === 24)).toBe(true);
    expect(Object.keys(steps[0].timings.computeMs)).toEqual(['w0#1']);
    expect(evals.map((e) => e.step)).toEqual([4, 8]);
    expect(evals[1].epoch).toBeCloseTo((8 * 24) / 120);
    expect(result.trainAcc).toBe(evals[1].trainAcc);
    const total = Object.values(result.shardsByWorker).reduce((a, b) => a + b, 0);
    // Micro-shards plus the train range of each evaluation: beside one socket worker, the coordinator takes the
    // other range (the test set's) itself.
    expect(total).toBe(8 * 6 + 2);
  });

  it('writes checkpoints and resumes to the same final parameters as an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-ckpt-'));
    try {
      const full = await trainWith(0, { inProcessWorkers: 1 });
      const half = await trainWith(0, {
        inProcessWorkers: 1,
        config: tinyConfig({ iters: 5 }),
        checkpointDir: dir,
        checkpointEvery: 2,
      });
      expect(half.result.steps).toBe(5);
      expect(readdirSync(dir).length).toBeGreaterThan(0);
      const checkpoint = loadCheckpoint(dir);
      expect(checkpoint.step).toBe(5);
      const resumed = await trainWith(1, { resume: checkpoint });
      expect(resumed.result.steps).toBe(8);
      expect(resumed.result.stepsThisRun).toBe(3);
      expect(resumed.result.paramsSha256).toBe(full.result.paramsSha256);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to bind beyond loopback without a token', async () => {
    await expect(
      Coordinator.start({ config: tinyConfig(), data, host: '0.0.0.0', ...quiet }),
    ).rejects.toMatchObject({
      code: 'DESCENT_ERR_TOKEN_REQUIRED',
    });
  });
});
