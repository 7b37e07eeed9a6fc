/**
 * The fixed summation tree over a step's micro-shards: a run of `count` consecutive shards splits into its
 * first 2^⌈log2 count⌉⁻¹ and the rest, each half summed the same way. A run that starts at a multiple of its
 * size is a subtree of every larger run's tree, so sums of such runs, computed anywhere and added by this
 * rule, give the same bits as one process adding every shard.
 */
export function pairwiseSplit(count: number): number {
  return 2 ** (31 - Math.clz32(count - 1));
}

/** values[first] + … + values[first + count - 1], added along the pairwise tree (in double). */
export function pairwiseSum(values: ArrayLike<number>, first: number, count: number): number {
  if (count === 1) return values[first];
  const split = pairwiseSplit(count);
  return pairwiseSum(values, first, split) + pairwiseSum(values, first + split, count - split);
}

/** Checks segment bounds: segments + 1 increasing row offsets from 0 to rows, so every segment has a row. */
export function checkSegments(bounds: Int32Array, segments: number, rows: number, what: string): void {
  if (!Number.isInteger(segments) || segments < 1 || bounds.length < segments + 1) {
    throw new RangeError(
      `${what}: need segments ≥ 1 and segments + 1 bounds, got ${segments} and ${bounds.length}`,
    );
  }
  if (bounds[0] !== 0 || bounds[segments] !== rows) {
    throw new RangeError(
      `${what}: bounds must run from 0 to ${rows} rows, got ${bounds[0]} to ${bounds[segments]}`,
    );
  }
  for (let t = 0; t < segments; t++) {
    if (bounds[t + 1] <= bounds[t]) {
      throw new RangeError(`${what}: segment ${t} has no rows (bounds ${bounds[t]} to ${bounds[t + 1]})`);
    }
  }
}
