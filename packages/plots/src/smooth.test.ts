import { describe, expect, it } from 'vitest';
import { defaultSpan, ema } from './smooth.js';

describe('ema', () => {
  it('is bias-corrected: a constant series stays constant from the first value', () => {
    expect(Array.from(ema([2, 2, 2, 2], 10))).toEqual([2, 2, 2, 2]);
  });

  it('follows a step with span-dependent lag', () => {
    const out = ema([0, 0, 0, 0, 1, 1, 1, 1, 1, 1], 3);
    expect(out[3]).toBe(0);
    expect(out[4]).toBeGreaterThan(0.4);
    expect(out[9]).toBeGreaterThan(0.95);
  });

  it('leaves a gap at non-finite values without poisoning later ones', () => {
    const out = ema([1, Number.NaN, 1], 5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
  });
});

describe('defaultSpan', () => {
  it('stays between 10 and 500 iterations', () => {
    expect(defaultSpan(100)).toBe(10);
    expect(defaultSpan(10_000)).toBe(200);
    expect(defaultSpan(1_000_000)).toBe(500);
  });
});
