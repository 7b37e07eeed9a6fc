import { expect } from 'vitest';
import type { Rng } from '../../rng.js';

/** Uniform values in [-1, 1), a `zeros` fraction of them exactly 0 (like MNIST's blank pixels). */
export function randomArray(rng: Rng, length: number, zeros = 0): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.nextFloat() < zeros ? 0 : rng.nextFloat() * 2 - 1;
  return out;
}

/** Σ_p |op(A)[i,p]·op(B)[p,j]| per element: the scale a float32 dot product's rounding error grows with. */
export function gemmMagnitudes(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i] : a[i * k + p];
        const y = transB ? b[j * k + p] : b[p * n + j];
        sum += Math.abs(x * y);
      }
      out[i * n + j] = sum;
    }
  }
  return out;
}

/**
 * |actual − expected| ≤ atol + rtol·scale per element (scale defaults to |expected|), naming the first
 * index that fails.
 */
export function expectCloseScaled(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol: number,
  scale?: ArrayLike<number>,
): void {
  expect(actual.length, 'length').toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const bound = atol + rtol * (scale === undefined ? Math.abs(expected[i]) : scale[i]);
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= bound) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      expect.fail(`index ${i}: got ${actual[i]}, expected ${expected[i]} (|diff| ${diff} > ${bound})`);
    }
  }
}

/** Copies `source` into a fresh buffer from `alloc` (so kernels see it in their own memory). */
export function copyInto(alloc: (length: number) => Float32Array, source: Float32Array): Float32Array {
  const out = alloc(source.length);
  out.set(source);
  return out;
}
