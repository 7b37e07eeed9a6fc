/** Median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Seconds taken by `run`, by the monotonic clock. */
export function seconds(run: () => void): number {
  const start = performance.now();
  run();
  return (performance.now() - start) / 1000;
}

/** Runs `work` (which does `inner` repetitions) until it has taken at least `minSeconds`; returns seconds per repetition. */
export function timePerCall(work: (inner: number) => void, minSeconds = 0.2): number {
  let inner = 1;
  for (;;) {
    const t = seconds(() => work(inner));
    if (t >= minSeconds) return t / inner;
    inner = Math.max(inner * 2, Math.ceil((inner * minSeconds * 1.2) / Math.max(t, 1e-6)));
  }
}
