import { describe, expect, it } from 'vitest';
import { evalRanges, ownShare } from './eval-plan.js';
import { resolveOptions } from './options.js';
import { tinyConfig, tinyData } from './test-helpers.js';

const MNIST = { train: 60_000, test: 10_000 };

/** Rows of the last `own` ranges (the coordinator's) and of the rest (the socket workers'). */
function shares(own: number, ranges: ReturnType<typeof evalRanges>): { own: number; remote: number } {
  const rows = ranges.map((r) => r.end - r.start);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return { own: sum(rows.slice(rows.length - own)), remote: sum(rows.slice(0, rows.length - own)) };
}

describe('evaluation plan', () => {
  it('covers each split once, in ranges of at most the chunk size, training set first', () => {
    const ranges = evalRanges({ train: 120, test: 40 }, 50);
    expect(ranges).toEqual([
      { split: 'train', start: 0, end: 50 },
      { split: 'train', start: 50, end: 100 },
      { split: 'train', start: 100, end: 120 },
      { split: 'test', start: 0, end: 40 },
    ]);
  });

  it('by default, shares MNIST evenly between the coordinator and one socket worker', () => {
    const { evalChunkRows } = resolveOptions({ config: tinyConfig(), data: tinyData() });
    const ranges = evalRanges(MNIST, evalChunkRows);
    expect(shares(ownShare(ranges.length, 1), ranges)).toEqual({ own: 35_000, remote: 35_000 });
  });

  it('takes the share of one more worker beside socket workers, and none without them', () => {
    expect(ownShare(14, 0)).toBe(0);
    expect(ownShare(14, 1)).toBe(7);
    expect(ownShare(14, 2)).toBe(4);
    expect(ownShare(3, 4)).toBe(0);
  });
});
