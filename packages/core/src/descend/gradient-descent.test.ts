import { describe, expect, it } from 'vitest';
import { expectArraysClose } from '../optim/test-close.js';
import { gradientDescent } from './gradient-descent.js';
import { bowl } from './objectives.js';

describe('gradientDescent (the chapter-4 gradient method)', () => {
  it('walks x0² + x1² from (−3, 4) with η 0.1 for 20 steps to near (0, 0)', () => {
    const run = gradientDescent();
    expect(run).toMatchObject({ optimizer: 'gd', objective: 'sphere', lr: 0.1 });
    expect(run.points).toHaveLength(21);
    expect(run.points[0]).toEqual([-3, 4]);
    const [x, y] = run.points[20];
    expect(Math.hypot(x, y)).toBeLessThan(0.06);
  });

  it('follows the closed form x_k = x_0·(1 − 2η)^k, the numerical gradient of a quadratic being exact', () => {
    // ∇(x0² + x1²) = 2x, so x ← x − 0.1·2x = 0.8·x: after 20 steps (−3, 4)·0.8^20 = (−0.0346, 0.0461)
    const run = gradientDescent();
    for (const [k, [x, y]] of run.points.entries())
      expectArraysClose([x, y], [-3 * 0.8 ** k, 4 * 0.8 ** k], 1e-6);
  });

  it('diverges when the learning rate is too large and barely moves when it is too small', () => {
    // x ← x − 10·2x = −19·x: after 5 steps |x| = 5·19^5 ≈ 1.2e7
    const tooLarge = gradientDescent({ lr: 10, steps: 5 }).points[5];
    expect(Math.hypot(...tooLarge)).toBeGreaterThan(1e7);
    const tooSmall = gradientDescent({ lr: 1e-10, steps: 100 }).points[100];
    expectArraysClose(tooSmall, [-3, 4], 1e-6);
  });

  it('works on any objective, here the chapter-6 bowl', () => {
    const run = gradientDescent({ objective: bowl, start: [-7, 2], lr: 0.9, steps: 200 });
    expect(run.objective).toBe('bowl');
    const [x, y] = run.points[200];
    expect(bowl.value(x, y)).toBeLessThan(1e-6);
  });

  it('refuses a non-positive learning rate and a fractional step count', () => {
    expect(() => gradientDescent({ lr: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_DESCEND_ARGUMENT', message: expect.stringContaining('lr') }),
    );
    expect(() => gradientDescent({ steps: 2.5 })).toThrow(
      expect.objectContaining({ code: 'ERR_DESCEND_ARGUMENT', message: expect.stringContaining('steps') }),
    );
  });
});
