import { numericalGradient } from '../gradcheck/numerical.js';
import { requireDescentRun } from './descend-error.js';
import type { Objective2d } from './objectives.js';
import { sphere } from './objectives.js';
import type { Trajectory } from './trajectory.js';

export interface GradientDescentOptions {
  readonly objective?: Objective2d;
  readonly start?: readonly [number, number];
  readonly lr?: number;
  readonly steps?: number;
}

/**
 * The chapter-4 gradient method, x ← x − η·∇f(x) with ∇f by central differences. The defaults are the book's
 * run: f(x0, x1) = x0² + x1² from (−3, 4), η = 0.1, 20 steps, ending near (0, 0).
 */
export function gradientDescent(options: GradientDescentOptions = {}): Trajectory {
  const { objective = sphere, start = [-3, 4], lr = 0.1, steps = 20 } = options;
  requireDescentRun(lr, steps);
  const x = Float64Array.from(start);
  const f = () => objective.value(x[0], x[1]);
  const points: [number, number][] = [[x[0], x[1]]];
  for (let step = 0; step < steps; step++) {
    const grad = numericalGradient(f, x);
    x[0] -= lr * grad[0];
    x[1] -= lr * grad[1];
    points.push([x[0], x[1]]);
  }
  return { optimizer: 'gd', objective: objective.name, lr, points };
}
