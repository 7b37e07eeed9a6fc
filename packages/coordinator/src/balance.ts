/**
 * How many of `jobs` equal-sized jobs each worker gets, proportional to its speed (largest remainder, ties to
 * the earlier worker), so every worker should finish at about the same time; at least one each when there
 * are enough jobs.
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
  // A worker given nothing is never measured again and would stay idle for the rest of the run after one
  // slow start; one job each keeps every estimate alive.
  if (jobs >= n) {
    for (let i = 0; i < n; i++) {
      if (counts[i] > 0) continue;
      const richest = counts.indexOf(Math.max(...counts));
      counts[richest]--;
      counts[i]++;
    }
  }
  return counts;
}
