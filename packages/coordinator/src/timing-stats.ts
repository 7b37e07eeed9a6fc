/** Median and 95th percentile of a series of milliseconds. */
export interface Spread {
  readonly median: number;
  readonly p95: number;
}

/** Fixed-capacity series of numbers (one per step), without per-step allocation. */
export class Series {
  private values: Float64Array;
  private n = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = v;
  }

  spread(): Spread {
    return spreadOf(this.values.subarray(0, this.n));
  }
}

/** Median and p95 (nearest rank) of some numbers; zeros for none. */
export function spreadOf(values: ArrayLike<number>): Spread {
  const n = values.length;
  if (n === 0) return { median: 0, p95: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * (n - 1) + 0.5))];
  return { median: at(0.5), p95: at(0.95) };
}
