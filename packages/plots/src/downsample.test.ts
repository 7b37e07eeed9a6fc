import { describe, expect, it } from 'vitest';
import { indices, minMaxDownsample, strideDownsample } from './downsample.js';

describe('minMaxDownsample', () => {
  it('keeps the lowest and highest point of every bucket in x order', () => {
    const ys = [5, 1, 9, 3, 2, 8, 0, 7];
    const out = minMaxDownsample(indices(8), ys, 2);
    expect(out).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 9 },
      { x: 5, y: 8 },
      { x: 6, y: 0 },
    ]);
  });

  it('returns short series whole', () => {
    expect(minMaxDownsample([0, 1, 2], [3, 2, 1], 10)).toHaveLength(3);
  });

  it('drops non-finite values instead of drawing them', () => {
    const ys = [1, Number.NaN, Number.POSITIVE_INFINITY, 2];
    expect(minMaxDownsample(indices(4), ys, 10).map((p) => p.y)).toEqual([1, 2]);
    expect(minMaxDownsample(indices(4), [Number.NaN, Number.NaN, 1, 2], 1)).toEqual([
      { x: 2, y: 1 },
      { x: 3, y: 2 },
    ]);
  });

  it('bounds 100,000 points to two per bucket', () => {
    const ys = Float64Array.from({ length: 100_000 }, (_, i) => Math.sin(i));
    expect(minMaxDownsample(indices(ys.length), ys, 800).length).toBeLessThanOrEqual(1600);
  });
});

describe('strideDownsample', () => {
  it('always keeps the first and last point', () => {
    const out = strideDownsample(indices(10), indices(10), 3);
    expect(out[0]).toEqual({ x: 0, y: 0 });
    expect(out.at(-1)).toEqual({ x: 9, y: 9 });
    expect(out.length).toBeLessThanOrEqual(4);
  });
});
