import type { Spread } from './timing-stats.js';

export interface RunResult {
  /** Final parameters and batch-norm statistics (copies). */
  readonly params: Float32Array;
  readonly stats: Float32Array;
  /** SHA-256 (hex) of the final parameter bytes: equal across worker counts for one config and backend. */
  readonly paramsSha256: string;
  /** Steps completed in total, and by this run (after a resume the difference is the resumed step). */
  readonly steps: number;
  readonly stepsThisRun: number;
  readonly trainAcc: number;
  readonly testAcc: number;
  readonly trainLoss: number;
  readonly testLoss: number;
  /** From run() to its end, including waiting for workers and evaluation. */
  readonly wallSeconds: number;
  /** The training steps alone. */
  readonly trainSeconds: number;
  readonly stepsPerSecond: number;
  readonly samplesPerSecond: number;
  /** Most workers ready at once. */
  readonly workers: number;
  /** What crossed the network each step (CoordinatorOptions.exchange, resolved). */
  readonly exchange: 'factors' | 'params';
  /** Micro-shards and evaluation ranges accepted from each worker, by name. */
  readonly shardsByWorker: Readonly<Record<string, number>>;
  readonly timings: {
    readonly stepMs: Spread;
    readonly dispatchMs: Spread;
    readonly waitMs: Spread;
    readonly aggregateMs: Spread;
    readonly optimizerMs: Spread;
    readonly broadcastMs: Spread;
  };
}
