/** A range of one split's rows that one evaluation task covers. */
export interface EvalRange {
  readonly split: 'train' | 'test';
  readonly start: number;
  readonly end: number;
}

/** An evaluation's ranges in order, the training set's then the test set's, each of `chunkRows` rows at most. */
export function evalRanges(
  counts: { readonly train: number; readonly test: number },
  chunkRows: number,
): EvalRange[] {
  const ranges: EvalRange[] = [];
  for (const split of ['train', 'test'] as const) {
    for (let start = 0; start < counts[split]; start += chunkRows) {
      ranges.push({ split, start, end: Math.min(counts[split], start + chunkRows) });
    }
  }
  return ranges;
}

/**
 * How many of an evaluation's `tasks` ranges the coordinator computes itself (the last ones) beside `sockets`
 * socket workers: the share of one more worker, since it would otherwise only wait the evaluation out. None
 * when no socket worker is there (the in-process link computes them all).
 */
export function ownShare(tasks: number, sockets: number): number {
  return sockets > 0 ? Math.floor(tasks / (sockets + 1)) : 0;
}
