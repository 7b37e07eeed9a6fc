import { describe, expect, it } from 'vitest';
import { StreamingEma, smoothingSpan } from './ema.js';

describe('StreamingEma', () => {
  it('starts at the first value instead of being pulled towards zero', () => {
    expect(new StreamingEma(10).push(2.3)).toBeCloseTo(2.3, 12);
  });

  it('weights recent values by 2/(span+1), debiased by the weights so far', () => {
    const ema = new StreamingEma(3); // α = 0.5
    ema.push(4);
    // (0.5·0.5·4 + 0.5·0) / (0.5·0.5 + 0.5) = 1 / 0.75
    expect(ema.push(0)).toBeCloseTo(4 / 3, 12);
  });

  it('rejects a span that is not a positive integer', () => {
    expect(() => new StreamingEma(0)).toThrow(RangeError);
    expect(() => new StreamingEma(2.5)).toThrow(RangeError);
  });

  it('smooths over about 1% of the run, at least 10 iterations', () => {
    expect(smoothingSpan(10_000)).toBe(100);
    expect(smoothingSpan(200)).toBe(10);
  });
});
