import { describe, expect, it } from 'vitest';
import { RateLimit } from './rate-limit.js';

describe('RateLimit', () => {
  it('allows a burst, then refuses until time refills it at the given rate', () => {
    const limit = new RateLimit(10, 3, 0);
    expect([limit.take(0), limit.take(0), limit.take(0), limit.take(0)]).toEqual([true, true, true, false]);
    expect(limit.take(50)).toBe(false);
    expect(limit.take(100)).toBe(true);
    expect(limit.take(100)).toBe(false);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const limit = new RateLimit(1000, 2, 0);
    const taken = Array.from({ length: 4 }, () => limit.take(60_000));
    expect(taken).toEqual([true, true, false, false]);
  });
});
