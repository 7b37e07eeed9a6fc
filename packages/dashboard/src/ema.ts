/**
 * Exponential moving average fed one value at a time, bias-corrected so the first values are not pulled
 * towards zero (the same weighting as plots' `ema`, computed incrementally for a live stream).
 */
export class StreamingEma {
  private readonly alpha: number;
  private weighted = 0;
  private weights = 0;

  constructor(readonly span: number) {
    if (!(Number.isInteger(span) && span >= 1))
      throw new RangeError(`EMA span must be an integer ≥ 1, got ${span}`);
    this.alpha = 2 / (span + 1);
  }

  push(value: number): number {
    this.weighted = (1 - this.alpha) * this.weighted + this.alpha * value;
    this.weights = (1 - this.alpha) * this.weights + this.alpha;
    return this.weighted / this.weights;
  }
}

/** About 1% of the run, at least 10 iterations: smooth enough to read the trend, short enough to follow it. */
export function smoothingSpan(iters: number): number {
  return Math.max(10, Math.round(iters / 100));
}
