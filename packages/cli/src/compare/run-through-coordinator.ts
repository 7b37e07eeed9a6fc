import { Coordinator, type RunResult, type StepRecord } from '@descent/coordinator';
import type { BackendName, DataSplits, TrainConfig } from '@descent/core';
import { LocalWorkers } from '../local-workers.js';

export interface ComparedRun {
  readonly result: RunResult;
  readonly losses: number[];
  /** Seconds from the first step's start to the end of each step. */
  readonly seconds: number[];
}

export interface ComparedRunOptions {
  readonly config: TrainConfig;
  readonly data: DataSplits;
  readonly backend: BackendName;
  /** Local worker processes; 0 computes in this process. */
  readonly workers: number;
  readonly dataDir?: string;
}

/**
 * One run of a comparison, through the coordinator exactly like `descent train` (micro-shards, workers, fixed-order
 * sum), keeping each step's loss and when it ended.
 */
export async function runThroughCoordinator(o: ComparedRunOptions): Promise<ComparedRun> {
  const losses: number[] = [];
  const seconds: number[] = [];
  let t0 = -1;
  const coordinator = await Coordinator.start({
    config: o.config,
    data: o.data,
    backend: o.backend,
    inProcessWorkers: o.workers === 0 ? 1 : 0,
    minWorkers: Math.max(1, o.workers),
    observer: {
      onStep: (r: StepRecord) => {
        const now = performance.now();
        if (t0 < 0) t0 = now - r.timings.stepMs;
        losses.push(r.loss);
        seconds.push((now - t0) / 1000);
      },
    },
  });
  const local =
    o.workers > 0
      ? new LocalWorkers(o.workers, { url: coordinator.url, backend: o.backend, dataDir: o.dataDir })
      : null;
  let result: RunResult;
  try {
    result = await coordinator.run();
  } catch (err) {
    local?.kill();
    throw err;
  } finally {
    await coordinator.close();
  }
  await local?.stop();
  return { result, losses, seconds };
}
