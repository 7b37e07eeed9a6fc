import {
  type BackendName,
  createBackend,
  createLocalTrainer,
  type DataSplits,
  type TrainConfig,
} from '@descent/core';
import { seconds } from './stats.js';

/** Warm-up before timing: until the optimiser has compiled the step, in every thread the step runs on. */
const WARM_UP_STEPS = 1000;
const WARM_UP_MS = 1000;

/**
 * Steps per second of the core training step in this process (no evaluation), after a warm-up; `threads` 2
 * computes each step's two halves at once (LocalTrainerHooks.threads).
 */
export function coreStepsPerSecond(
  config: TrainConfig,
  data: DataSplits,
  backend: BackendName,
  steps: number,
  threads: 1 | 2 = 1,
): number {
  const trainer = createLocalTrainer({ ...config, evalEvery: 0 }, data, createBackend(backend), { threads });
  try {
    const warmUntil = performance.now() + WARM_UP_MS;
    for (let done = 0; done < WARM_UP_STEPS && performance.now() < warmUntil; done += 50) trainer.run(50);
    return steps / seconds(() => trainer.run(steps));
  } finally {
    trainer.dispose();
  }
}
