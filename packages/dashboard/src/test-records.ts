import type { StepRecord } from '@descent/coordinator';

/** A step record as the coordinator reports it, with every time part set to `ms`. */
export function stepRecord(
  step: number,
  loss: number,
  computeMs: Record<string, number> = {},
  ms = 1,
): StepRecord {
  return {
    step,
    loss,
    correct: 0,
    rows: 100,
    workers: Object.keys(computeMs).length,
    timings: {
      stepMs: 5 * ms,
      dispatchMs: ms,
      waitMs: ms,
      aggregateMs: ms,
      optimizerMs: ms,
      broadcastMs: ms,
      computeMs,
    },
  };
}

export const runOptions = {
  title: 'test-run',
  iters: 100,
  batch: 100,
  trainSize: 1000,
  evalEvery: 10,
  config: { config: { iters: 100, batch: 100 }, backend: 'js' },
};
