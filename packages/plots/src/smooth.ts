/** Window length a reader perceives as "smoothed" without hiding the trend: about 2% of the run. */
export function defaultSpan(length: number): number {
  return Math.min(500, Math.max(10, Math.round(length / 50)));
}

/**
 * Exponential moving average with span `span` (alpha = 2 / (span + 1)), bias-corrected so the
 * first values are not dragged towards zero. Non-finite inputs (a diverged step) are skipped and
 * yield NaN, so they show as gaps instead of poisoning the rest of the curve.
 */
export function ema(values: ArrayLike<number>, span: number): Float64Array {
  const beta = 1 - 2 / (span + 1);
  const out = new Float64Array(values.length);
  let average = 0;
  let weight = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = Number.NaN;
      continue;
    }
    average = beta * average + (1 - beta) * v;
    weight = beta * weight + (1 - beta);
    out[i] = average / weight;
  }
  return out;
}
