export interface XY {
  x: number;
  y: number;
}

/**
 * Keeps the lowest and highest point of each of `buckets` equal-count buckets, in x order, so a
 * line through them draws the same envelope as the full series at a fraction of the points.
 * Non-finite y values are dropped. Series no longer than 2 * buckets are returned whole.
 */
export function minMaxDownsample(xs: ArrayLike<number>, ys: ArrayLike<number>, buckets: number): XY[] {
  const n = ys.length;
  const out: XY[] = [];
  if (n <= 2 * buckets) {
    for (let i = 0; i < n; i++) if (Number.isFinite(ys[i])) out.push({ x: xs[i], y: ys[i] });
    return out;
  }
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const y = ys[i];
      if (!Number.isFinite(y)) continue;
      if (lo < 0 || y < ys[lo]) lo = i;
      if (hi < 0 || y > ys[hi]) hi = i;
    }
    if (lo < 0) continue;
    const [first, second] = lo <= hi ? [lo, hi] : [hi, lo];
    out.push({ x: xs[first], y: ys[first] });
    if (second !== first) out.push({ x: xs[second], y: ys[second] });
  }
  return out;
}

/** Every k-th point (plus the last): enough for an already smooth curve. */
export function strideDownsample(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints: number): XY[] {
  const n = ys.length;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const out: XY[] = [];
  for (let i = 0; i < n; i += step) if (Number.isFinite(ys[i])) out.push({ x: xs[i], y: ys[i] });
  const last = n - 1;
  if (last >= 0 && last % step !== 0 && Number.isFinite(ys[last])) out.push({ x: xs[last], y: ys[last] });
  return out;
}

export function indices(length: number, offset = 0): Float64Array {
  const xs = new Float64Array(length);
  for (let i = 0; i < length; i++) xs[i] = i + offset;
  return xs;
}
