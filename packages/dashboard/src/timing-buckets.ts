import type { StepTimings } from '@descent/coordinator';
import type { TimingBucket } from './client/wire.js';

const PARTS = ['stepMs', 'dispatchMs', 'waitMs', 'aggregateMs', 'optimizerMs', 'broadcastMs'] as const;

/**
 * Step timings averaged over buckets of consecutive steps, so a 10,000-step run draws a few hundred points;
 * throughput is samples over training time (evaluation pauses excluded, as in summary.json).
 */
export class TimingBuckets {
  readonly done: TimingBucket[] = [];
  private sums = zeroSums();
  private steps = 0;
  private rows = 0;

  constructor(readonly size: number) {}

  push(step: number, rows: number, t: Omit<StepTimings, 'computeMs'>): void {
    for (const k of PARTS) this.sums[k] += t[k];
    this.steps++;
    this.rows += rows;
    if (this.steps < this.size) return;
    const mean = (k: (typeof PARTS)[number]) => this.sums[k] / this.steps;
    this.done.push({
      step,
      samplesPerSecond: this.sums.stepMs > 0 ? (this.rows * 1000) / this.sums.stepMs : 0,
      stepMs: mean('stepMs'),
      dispatchMs: mean('dispatchMs'),
      waitMs: mean('waitMs'),
      aggregateMs: mean('aggregateMs'),
      optimizerMs: mean('optimizerMs'),
      broadcastMs: mean('broadcastMs'),
    });
    this.sums = zeroSums();
    this.steps = 0;
    this.rows = 0;
  }
}

/** Buckets for a run of `iters` steps: about 400 of them. */
export function bucketSize(iters: number): number {
  return Math.max(1, Math.ceil(iters / 400));
}

function zeroSums(): Record<(typeof PARTS)[number], number> {
  return { stepMs: 0, dispatchMs: 0, waitMs: 0, aggregateMs: 0, optimizerMs: 0, broadcastMs: 0 };
}
