import { describe, expect, it } from 'vitest';
import { numericalGradient, numericalPartial } from './numerical.js';

describe('numericalGradient', () => {
  it("gives the book's gradient of x0² + x1² at (3, 4): (6, 8), and restores the point", () => {
    const x = Float64Array.from([3, 4]);
    const f = () => x[0] ** 2 + x[1] ** 2;
    const grad = numericalGradient(f, x);
    expect(grad[0]).toBeCloseTo(6, 6);
    expect(grad[1]).toBeCloseTo(8, 6);
    expect(Array.from(x)).toEqual([3, 4]);
  });

  it('divides by the step float32 actually stored, not by 2h', () => {
    // Around 1000 float32 values are 6.1e-5 apart, so 1000 ± 1e-4 rounds to 1000 ± 1.2207e-4: dividing by
    // 2e-4 would report a slope of 1.22 for f(x) = x.
    const x = Float32Array.from([1000]);
    expect(numericalPartial(() => x[0], x, 0, 1e-4)).toBe(1);
    expect(x[0]).toBe(1000);
  });
});
