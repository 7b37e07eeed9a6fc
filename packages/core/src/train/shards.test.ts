import { describe, expect, it } from 'vitest';
import { shardRanges } from './shards.js';

describe('shardRanges', () => {
  it('cuts 10 rows into 3 contiguous shards, the first one larger', () => {
    expect(shardRanges(10, 3)).toEqual([
      { shard: 0, start: 0, end: 4 },
      { shard: 1, start: 4, end: 7 },
      { shard: 2, start: 7, end: 10 },
    ]);
  });

  it('covers every row exactly once with sizes differing by at most one, for many cuts', () => {
    const faults: string[] = [];
    for (let batch = 1; batch <= 40; batch++) {
      for (let shards = 1; shards <= batch; shards++) {
        const ranges = shardRanges(batch, shards);
        const sizes = ranges.map((r) => r.end - r.start);
        const contiguous = ranges.every(
          (r, s) => r.shard === s && r.start === (s === 0 ? 0 : ranges[s - 1].end),
        );
        const descending = sizes.every((size, s) => s === 0 || size <= sizes[s - 1]);
        const ok =
          ranges.length === shards &&
          ranges[shards - 1].end === batch &&
          contiguous &&
          descending &&
          sizes[0] - sizes[shards - 1] <= 1;
        if (!ok) faults.push(`${batch}/${shards}`);
      }
    }
    expect(faults).toEqual([]);
  });

  it('gives one shard the whole batch and batch shards one row each', () => {
    expect(shardRanges(5, 1)).toEqual([{ shard: 0, start: 0, end: 5 }]);
    expect(shardRanges(3, 3).map((r) => r.end - r.start)).toEqual([1, 1, 1]);
  });

  it.each([
    [10, 0],
    [10, 11],
    [10, 2.5],
    [0, 1],
    [Number.NaN, 1],
  ])('refuses batch %d with %d shards', (batch, shards) => {
    expect(() => shardRanges(batch, shards)).toThrow(expect.objectContaining({ code: 'ERR_SHARD_COUNT' }));
  });
});
