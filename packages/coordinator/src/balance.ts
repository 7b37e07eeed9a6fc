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

/** One worker's contiguous run of units [first, end), by its index in the speeds given. */
export interface UnitRun {
  readonly worker: number;
  readonly first: number;
  readonly end: number;
}

/**
 * Cuts `units` consecutive units (a step's micro-shards) into one contiguous run per worker, in proportion to
 * its speed. Cuts are rounded to multiples of a power-of-two grain, so runs fall on few nodes of the pairwise
 * shard tree (two equal workers get one node each); a worker may get none.
 */
export function contiguousRuns(units: number, speeds: readonly number[]): UnitRun[] {
  const counts = balance(units, speeds);
  let grain = 1;
  while (grain * 2 * 2 * speeds.length <= units) grain *= 2;
  const out: UnitRun[] = [];
  let exact = 0;
  let first = 0;
  counts.forEach((count, worker) => {
    exact += count;
    const end =
      worker === counts.length - 1
        ? units
        : Math.max(first, Math.min(units, Math.round(exact / grain) * grain));
    if (end > first) out.push({ worker, first, end });
    first = end;
  });
  return out;
}
