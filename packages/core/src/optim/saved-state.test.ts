import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { createOptimizer, OPTIMIZER_NAMES } from './create.js';
import type { Optimizer, OptimizerName } from './optimizer.js';
import { expectBitwiseEqual } from './test-close.js';

const N = 37;
const CONFIG = { lr: 0.05, momentum: 0.9, decayRate: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-7 };

function make(name: OptimizerName): Optimizer {
  return createOptimizer({ name, ...CONFIG }, N);
}

/** Seeded gradients, a different vector per step, identical for every run that asks for the same step. */
function gradientAt(step: number): Float32Array {
  const rng = Rng.derive(7, step);
  return Float32Array.from({ length: N }, () => rng.nextFloat() * 2 - 1);
}

function run(optimizer: Optimizer, params: Float32Array, from: number, to: number): void {
  for (let step = from; step < to; step++) optimizer.update(params, gradientAt(step));
}

describe.each(OPTIMIZER_NAMES)('%s state', (name) => {
  it('restored into a fresh instance mid-run continues bit for bit like the uninterrupted run', () => {
    const start = Float32Array.from({ length: N }, (_, i) => Math.sin(i));

    const straight = start.slice();
    run(make(name), straight, 0, 9);

    const resumed = start.slice();
    const first = make(name);
    run(first, resumed, 0, 4);
    const saved = first.state();
    const second = make(name);
    second.loadState(saved);
    run(second, resumed, 4, 9);

    expectBitwiseEqual(resumed, straight);
  });

  it('is a snapshot: later updates do not change a state already taken', () => {
    const optimizer = make(name);
    const params = new Float32Array(N);
    run(optimizer, params, 0, 2);
    const saved = optimizer.state();
    const copy = structuredClone(saved);
    run(optimizer, params, 2, 4);
    expect(saved).toEqual(copy);
  });
});

describe('loading a state that does not fit', () => {
  it('refuses a state saved by a different optimizer', () => {
    const momentum = make('momentum');
    momentum.update(new Float32Array(N), gradientAt(0));
    expect(() => make('adam').loadState(momentum.state())).toThrow(
      expect.objectContaining({ code: 'ERR_OPTIMIZER_STATE' }),
    );
  });

  it('refuses buffers sized for a different net and leaves the optimizer untouched', () => {
    const adam = make('adam');
    const before = adam.state();
    const wrong = { scalars: { iter: 3 }, buffers: { m: new Float32Array(N), v: new Float32Array(N + 1) } };
    expect(() => adam.loadState(wrong)).toThrow(expect.objectContaining({ code: 'ERR_OPTIMIZER_STATE' }));
    expect(adam.state()).toEqual(before);
  });

  it('refuses an adam step counter that is not a non-negative integer', () => {
    const state = { scalars: { iter: 1.5 }, buffers: { m: new Float32Array(N), v: new Float32Array(N) } };
    expect(() => make('adam').loadState(state)).toThrow(
      expect.objectContaining({ code: 'ERR_OPTIMIZER_STATE' }),
    );
  });
});
