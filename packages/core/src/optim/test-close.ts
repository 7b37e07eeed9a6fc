import { expect } from 'vitest';

/**
 * Element-wise |actual − expected| ≤ tol, naming the first index that fails. The default suits float32
 * buffers compared with numbers worked out by hand in double precision.
 */
export function expectArraysClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  expect(actual.length, 'length').toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= tol)) {
      expect.fail(`index ${i}: got ${actual[i]}, expected ${expected[i]} (|diff| ${diff} > ${tol})`);
    }
  }
}

/** Same bytes, not merely close: what restored or re-ordered computations must produce. */
export function expectBitwiseEqual(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length, 'length').toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < b.length; i++) {
    if (a[i] !== b[i]) expect.fail(`index ${i}: got ${actual[i]}, expected ${expected[i]} (bits differ)`);
  }
}
