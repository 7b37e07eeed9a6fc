/** The median of the last `window` values pushed. */
export class RollingMedian {
  private readonly values: number[] = [];

  constructor(private readonly window: number) {}

  push(value: number): void {
    this.values.push(value);
    if (this.values.length > this.window) this.values.shift();
  }

  /** null before the first value. */
  median(): number | null {
    const n = this.values.length;
    if (n === 0) return null;
    const sorted = [...this.values].sort((a, b) => a - b);
    const mid = n >> 1;
    return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
