import { createOptimizer } from '../optim/create.js';
import type { OptimizerName } from '../optim/optimizer.js';
import { requireDescentRun } from './descend-error.js';
import type { Objective2d } from './objectives.js';
import { bowl } from './objectives.js';
import type { Trajectory } from './trajectory.js';

/**
 * The learning rates of the book's chapter-6 comparison (SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3), plus
 * two the book does not plot: Nesterov at Momentum's 0.1, and RMSProp at 0.1, where its first steps (about
 * 10·η per coordinate while its average of g² is still small) stay inside the plotted region.
 */
export const BOOK_RATES: Readonly<Record<OptimizerName, number>> = {
  sgd: 0.95,
  momentum: 0.1,
  nesterov: 0.1,
  adagrad: 1.5,
  rmsprop: 0.1,
  adam: 0.3,
};

export interface CompareOptions {
  readonly objective?: Objective2d;
  readonly start?: readonly [number, number];
  readonly steps?: number;
  /** Which rules to run, in order; defaults to all six. */
  readonly optimizers?: readonly OptimizerName[];
  /** Overrides of BOOK_RATES. */
  readonly rates?: Partial<Record<OptimizerName, number>>;
}

const ALL: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];

/**
 * Each update rule walking the same 2-D function: the optimizer classes used for training, over a 2-element
 * parameter buffer. Defaults are the book's: f(x, y) = x²/20 + y² from (−7, 2), 30 steps; other
 * hyper-parameters are the book's defaults.
 */
export function compareOptimizers(options: CompareOptions = {}): Trajectory[] {
  const { objective = bowl, start = [-7, 2], steps = 30, optimizers = ALL, rates = {} } = options;
  return optimizers.map((name) => {
    const lr = rates[name] ?? BOOK_RATES[name];
    requireDescentRun(lr, steps);
    const optimizer = createOptimizer(
      { name, lr, momentum: 0.9, decayRate: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-7 },
      2,
    );
    const params = Float32Array.from(start);
    const grads = new Float32Array(2);
    const points: [number, number][] = [[params[0], params[1]]];
    for (let step = 0; step < steps; step++) {
      objective.gradient(params[0], params[1], grads);
      optimizer.update(params, grads);
      points.push([params[0], params[1]]);
    }
    return { optimizer: name, objective: objective.name, lr, points };
  });
}
