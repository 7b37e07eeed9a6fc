/**
 * How many of `jobs` equal-sized jobs each worker gets, proportional to its speed (largest remainder, ties to
 * the earlier worker), so every worker should finish at about the same time.
 */
export function balance(jobs: number, speeds: readonly number[]): number[] {
  const n = speeds.length;
  if (n === 0) return [];
  const total = speeds.reduce((a, b) => a + b, 0);
  const weights =
    total > 0 && speeds.every((s) => Number.isFinite(s) && s > 0) ? speeds : speeds.map(() => 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (jobs * w) / sum);
  const counts = exact.map(Math.floor);
  let left = jobs - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, frac: e - Math.floor(e) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) counts[order[k].i]++;
  return counts;
}
