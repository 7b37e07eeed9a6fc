import { describe, expect, it } from 'vitest';
import { numericalGradient } from '../gradcheck/numerical.js';
import { expectArraysClose } from '../optim/test-close.js';
import { bowl, OBJECTIVES, sphere } from './objectives.js';

describe('2-D objectives', () => {
  it.each(Object.values(OBJECTIVES))(
    '$name has an analytic gradient that matches central differences',
    (objective) => {
      for (const point of [
        [-7, 2],
        [3.5, -0.25],
        [0, 0],
      ]) {
        const x = Float64Array.from(point);
        const analytic = new Float64Array(2);
        objective.gradient(x[0], x[1], analytic);
        expectArraysClose(
          numericalGradient(() => objective.value(x[0], x[1]), x),
          analytic,
          1e-6,
        );
      }
    },
  );

  it('have their minimum 0 at the origin', () => {
    expect(sphere.value(0, 0)).toBe(0);
    expect(bowl.value(0, 0)).toBe(0);
    expect(sphere.value(-3, 4)).toBe(25);
    expect(bowl.value(-7, 2)).toBeCloseTo(6.45, 12);
  });
});
