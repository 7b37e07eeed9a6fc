/** One micro-shard: rows [start, end) of the global batch. */
export interface ShardRange {
  readonly shard: number;
  readonly start: number;
  readonly end: number;
}

export class ShardRangeError extends Error {
  readonly code = 'ERR_SHARD_COUNT';

  constructor(message: string) {
    super(message);
    this.name = 'ShardRangeError';
  }
}

/**
 * Cuts a batch into `shards` contiguous slices whose sizes differ by at most one, the first ones larger. The
 * cut depends on (batch, shards) alone, never on how many workers there are, so the sum over shards in shard
 * order is the same arithmetic on every run.
 */
export function shardRanges(batch: number, shards: number): ShardRange[] {
  if (!Number.isSafeInteger(batch) || batch < 1) {
    throw new ShardRangeError(`batch must be a positive integer, got ${batch}`);
  }
  if (!Number.isSafeInteger(shards) || shards < 1 || shards > batch) {
    throw new ShardRangeError(
      `shards must be an integer in [1, ${batch}] (the batch size: every shard needs a row), got ${shards}`,
    );
  }
  const base = Math.floor(batch / shards);
  const larger = batch % shards;
  const ranges: ShardRange[] = [];
  let start = 0;
  for (let shard = 0; shard < shards; shard++) {
    const end = start + base + (shard < larger ? 1 : 0);
    ranges.push({ shard, start, end });
    start = end;
  }
  return ranges;
}
