import { Rng } from '@descent/core';

/**
 * Exponential backoff with jitter from a seeded generator: attempt k waits base·2^k capped at `max`, scaled
 * by a factor in [0.5, 1.5) so many workers restarting together do not dial in lockstep.
 */
export class Backoff {
  private readonly rng: Rng;
  private attempt = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  get attempts(): number {
    return this.attempt;
  }

  next(): number {
    const raw = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt++;
    return Math.round(raw * (0.5 + this.rng.nextFloat()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
