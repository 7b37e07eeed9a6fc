import { describe, expect, it } from 'vitest';
import { expectArraysClose } from '../optim/test-close.js';
import { BOOK_RATES, compareOptimizers } from './compare.js';
import { bowl } from './objectives.js';

describe('compareOptimizers (the chapter-6 comparison)', () => {
  it('runs all six rules from (−7, 2) for 30 steps at the book rates', () => {
    const runs = compareOptimizers();
    expect(runs.map((r) => [r.optimizer, r.lr])).toEqual([
      ['sgd', 0.95],
      ['momentum', 0.1],
      ['nesterov', 0.1],
      ['adagrad', 1.5],
      ['rmsprop', 0.1],
      ['adam', 0.3],
    ]);
    for (const run of runs) {
      expect(run.objective).toBe('bowl');
      expect(run.points).toHaveLength(31);
      expect(run.points[0]).toEqual([-7, 2]);
    }
  });

  it('brings every rule well downhill from f(−7, 2) = 6.45', () => {
    for (const run of compareOptimizers()) {
      const [x, y] = run.points[30];
      expect(bowl.value(x, y), run.optimizer).toBeLessThan(0.15);
    }
  });

  it('gives SGD the closed form x_k = −7·(1 − 0.095)^k, y_k = 2·(1 − 1.9)^k (the zig-zag across the valley)', () => {
    const [sgd] = compareOptimizers({ optimizers: ['sgd'] });
    for (const [k, [x, y]] of sgd.points.entries()) {
      expectArraysClose([x, y], [-7 * 0.905 ** k, 2 * (-0.9) ** k], 1e-5);
    }
  });

  it('takes Momentum through the hand-worked first two steps', () => {
    // g0 = (−7/10, 2·2) = (−0.7, 4); v1 = −0.1·g0 = (0.07, −0.4); p1 = (−6.93, 1.6)
    // g1 = (−0.693, 3.2); v2 = 0.9·v1 − 0.1·g1 = (0.063 + 0.0693, −0.36 − 0.32) = (0.1323, −0.68); p2 = (−6.7977, 0.92)
    const [momentum] = compareOptimizers({ optimizers: ['momentum'], steps: 2 });
    expectArraysClose(momentum.points[1], [-6.93, 1.6]);
    expectArraysClose(momentum.points[2], [-6.7977, 0.92]);
  });

  it('takes rate overrides, start, step count and objective', () => {
    const [adam] = compareOptimizers({ optimizers: ['adam'], rates: { adam: 0.5 }, start: [1, 1], steps: 3 });
    expect(adam.lr).toBe(0.5);
    expect(adam.points).toHaveLength(4);
    expect(adam.points[0]).toEqual([1, 1]);
    expect(BOOK_RATES.adam).toBe(0.3);
  });

  it('returns plain data that survives a JSON round trip unchanged', () => {
    const runs = compareOptimizers();
    expect(JSON.parse(JSON.stringify(runs))).toEqual(runs);
  });
});
