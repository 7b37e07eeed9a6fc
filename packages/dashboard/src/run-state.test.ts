import { describe, expect, it } from 'vitest';
import { RunState } from './run-state.js';
import { runOptions, stepRecord } from './test-records.js';

describe('RunState', () => {
  it('keeps every loss with its smoothed value and the epochs in a snapshot', () => {
    const state = new RunState(runOptions);
    state.onStep(stepRecord(0, 2.3));
    state.onStep(stepRecord(1, 2.1));
    state.onEval({ step: 2, epoch: 0.2, trainAcc: 0.5, testAcc: 0.45, trainLoss: 1, testLoss: 1.1, ms: 10 });
    const s = state.snapshot();
    expect(s.loss).toEqual([2.3, 2.1]);
    expect(s.smoothed[0]).toBeCloseTo(2.3, 12);
    expect(s.smoothed[1]).toBeGreaterThan(2.1);
    expect(s.epochs).toMatchObject([{ epoch: 0.2, trainAcc: 0.5, testAcc: 0.45 }]);
    expect(s.progress).toMatchObject({ status: 'running', step: 2, iters: 100, epoch: 0.2 });
  });

  it('sends in each delta only what came after the last one', () => {
    const state = new RunState(runOptions);
    state.onStep(stepRecord(0, 2.3));
    state.snapshot();
    state.markSent();
    state.onStep(stepRecord(1, 2.0));
    state.onEvent({ type: 'checkpoint', step: 2, dir: '/x', ms: 3 });
    const first = state.delta();
    expect(first.from).toBe(1);
    expect(first.loss).toEqual([2.0]);
    expect(first.log.map((l) => l.text)).toEqual(['checkpoint at step 2 (3 ms)']);
    const second = state.delta();
    expect(second.loss).toEqual([]);
    expect(second.log).toEqual([]);
    expect(second.from).toBe(2);
  });

  it('places a resumed run at its first step, and keeps the later pass over steps its log repeats', () => {
    const state = new RunState(runOptions);
    for (const [step, loss] of [
      [40, 1],
      [41, 2],
      [42, 3],
      [41, 9],
    ]) {
      state.onStep(stepRecord(step, loss));
    }
    const s = state.snapshot();
    expect(s.firstStep).toBe(40);
    expect(s.loss).toEqual([1, 9]);
    expect(s.progress.step).toBe(42);
  });

  it('measures samples/s over training time and estimates the time left from the recent pace', () => {
    const state = new RunState(runOptions);
    for (let i = 0; i < 10; i++) state.onStep(stepRecord(i, 1, {}, 2)); // 10 ms per 100-row step
    const p = state.snapshot().progress;
    expect(p.samplesPerSecond).toBeCloseTo(10_000, 6);
    // 90 steps × 10 ms, and no evaluation has been timed yet.
    expect(p.etaSeconds).toBeCloseTo(0.9, 6);
  });

  it('builds the worker table from join, ready and lost events and the compute times of steps', () => {
    const state = new RunState(runOptions);
    state.onEvent({ type: 'join', worker: 'w#1', workerId: 1, link: 'socket' });
    state.onEvent({ type: 'ready', worker: 'w#1', workerId: 1 });
    state.onStep(stepRecord(0, 1, { 'w#1': 7 }));
    state.onEvent({ type: 'lost', worker: 'w#1', workerId: 1, reason: 'timeout' });
    expect(state.workerTable()).toMatchObject([{ name: 'w#1', state: 'lost', medianComputeMs: 7 }]);
    expect(state.snapshot().log.map((l) => l.kind)).toEqual(['join', 'ready', 'lost']);
  });

  it('is finished, with the summary and its shard counts, once the run ends', () => {
    const state = new RunState(runOptions);
    state.onStep(stepRecord(0, 1, { 'w#1': 1 }));
    state.finish({ wallSeconds: 12, shardsByWorker: { 'w#1': 40 } });
    const s = state.snapshot();
    expect(s.progress).toMatchObject({ status: 'finished', etaSeconds: 0, elapsedSeconds: 12 });
    expect(s.workers[0].shards).toBe(40);
    expect(s.summary).toMatchObject({ wallSeconds: 12 });
  });
});
