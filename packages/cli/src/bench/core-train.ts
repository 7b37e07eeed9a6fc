import {
  type BackendName,
  createBackend,
  createLocalTrainer,
  type DataSplits,
  type TrainConfig,
} from '@descent/core';
import { seconds } from './stats.js';

/**
 * Steps per second of the core training step in this process (no evaluation), after a warm-up; `threads` 2
 * computes each step's two halves at once (LocalTrainerHooks.threads).
 */
export function coreStepsPerSecond(
  config: TrainConfig,
  data: DataSplits,
  backend: BackendName,
  steps: number,
  threads = 1,
): number {
  const trainer = createLocalTrainer({ ...config, evalEvery: 0 }, data, createBackend(backend), { threads });
  trainer.run(Math.min(200, steps));
  const t = seconds(() => trainer.run(steps));
  trainer.dispose();
  return steps / t;
}
