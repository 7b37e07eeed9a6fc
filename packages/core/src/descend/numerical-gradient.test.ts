import { describe, expect, it } from 'vitest';
import { expectArraysClose } from '../optim/test-close.js';
import { numericalGradient } from './numerical-gradient.js';
import { OBJECTIVES } from './objectives.js';

describe('numericalGradient', () => {
  it.each(Object.values(OBJECTIVES))('agrees with the analytic gradient of $name', (objective) => {
    const f = (p: Float64Array) => objective.value(p[0], p[1]);
    for (const point of [
      [-7, 2],
      [3.5, -0.25],
      [0, 0],
    ]) {
      const analytic = new Float64Array(2);
      objective.gradient(point[0], point[1], analytic);
      expectArraysClose(numericalGradient(f, Float64Array.from(point)), analytic, 1e-6);
    }
  });

  it('puts every nudged coordinate back', () => {
    const x = Float64Array.from([0.1, 0.2, 0.3]);
    numericalGradient((p) => p[0] * p[1] * p[2], x);
    expect(Array.from(x)).toEqual([0.1, 0.2, 0.3]);
  });

  it('handles any number of variables', () => {
    // f = Σ i·x_i², so ∂f/∂x_i = 2i·x_i
    const f = (p: Float64Array) => p.reduce((sum, v, i) => sum + i * v * v, 0);
    expectArraysClose(numericalGradient(f, Float64Array.from([1, 1, 1, 2])), [0, 2, 4, 12], 1e-6);
  });
});
