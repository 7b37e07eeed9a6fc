// Helpers for the core's tests (not part of the build).
import { expect } from 'vitest';
import type { Layer } from '../layers/layer.js';
import type { Mode } from '../nets/net.js';
import { Rng } from '../rng.js';
import { compareGradients } from './gradcheck.js';
import { numericalGradient } from './numerical.js';

/**
 * Float32-aware closeness: |a − e| ≤ atol + rtol·|e| at every index, naming the first index that is not
 * (the shape of tfjs's expectArraysClose).
 */
export function expectArraysClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 1e-5, atol = 1e-6 }: { rtol?: number; atol?: number } = {},
): void {
  expect(actual.length, 'length').toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`arrays differ at index ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** Uniform values in [lo, hi), from a seeded generator. */
export function uniform(length: number, rng: Rng, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length }, () => lo + (hi - lo) * rng.nextFloat());
}

export interface LayerTensor {
  readonly name: string;
  readonly value: Float32Array;
  readonly grad: Float32Array;
}

/**
 * Backprop of one layer against central differences, for f = Σ R ⊙ forward(x) with a fixed random R
 * (formed in double precision): the max relative error of dx (as 'x') and of each parameter gradient.
 * The same Rng seed drives every forward, so a dropout mask stays put.
 */
export function layerGradientErrors(
  layer: Layer,
  x: Float32Array,
  rows: number,
  outSize: number,
  tensors: readonly LayerTensor[] = [],
  { mode = 'train' as Mode, seed = 0, h = 1e-2, floor = 1e-3 } = {},
): Record<string, number> {
  const n = rows * outSize;
  const r = uniform(n, new Rng(seed + 1000));
  const objective = () => {
    const out = layer.forward(x, rows, mode, new Rng(seed));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += r[i] * out[i];
    return sum;
  };
  objective();
  const dx = Float32Array.from(layer.backward(r, rows).subarray(0, x.length));
  const grads = tensors.map((t) => Float32Array.from(t.grad));
  const errors: Record<string, number> = {
    x: compareGradients(dx, numericalGradient(objective, x, h), floor).maxRelError,
  };
  tensors.forEach((t, k) => {
    errors[t.name] = compareGradients(grads[k], numericalGradient(objective, t.value, h), floor).maxRelError;
  });
  return errors;
}
