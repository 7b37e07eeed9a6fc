import { describe, expect, it } from 'vitest';
import { decode } from './codec.js';
import { FramePool } from './frame-pool.js';
import type { Params } from './messages.js';

const params = (value: number): Params => ({
  kind: 'params',
  step: 3,
  version: 9,
  params: new Float32Array(5000).fill(value),
  stats: new Float32Array(0),
});

describe('FramePool', () => {
  it('reuses a buffer only after every send of its frame has completed', () => {
    const pool = new FramePool();
    const first = pool.encode(params(1), 2);
    first.sent();
    const second = pool.encode(params(2));
    expect(second.frame.buffer).not.toBe(first.frame.buffer);
    first.sent();
    const third = pool.encode(params(3));
    expect(third.frame.buffer).toBe(first.frame.buffer);
    const out = decode(third.frame, { accept: ['params'] });
    if (!out.ok || out.message.kind !== 'params') throw new Error('decode failed');
    expect(out.message.params[4999]).toBe(3);
    expect(decode(second.frame, { accept: ['params'] }).ok).toBe(true);
  });

  it('does not pool small frames', () => {
    const pool = new FramePool();
    const small = pool.encode({ kind: 'heartbeat', at: 1 });
    small.sent();
    expect(pool.encode(params(1)).frame.buffer).not.toBe(small.frame.buffer);
  });
});
