import { describe, expect, it } from 'vitest';
import { PIXEL_TO_UNIT } from '../data/batch.js';
import { Rng } from '../rng.js';
import { JsBackend } from './js-backend.js';
import { copyInto, randomArray } from './wasm/test-reference.js';
import { WasmBackend } from './wasm-backend.js';

const js = new JsBackend();
const wasm = new WasmBackend();
// Tails of every length beside the SIMD bodies (4 floats, 16 bytes), and a gradient-sized run.
const lengths = [1, 3, 4, 5, 15, 16, 17, 33, 39760];

function bitsOf(x: Float32Array): number[] {
  return Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
}

describe('divide and unitBytes, the step kernels the wasm backend runs instead of JS loops', () => {
  it('divide is one correctly rounded division: the same bits on both backends', () => {
    const rng = new Rng(5);
    for (const n of lengths) {
      const x = randomArray(rng, n, 0.1);
      for (const d of [100, 3, 7, 1]) {
        const expected = new Float32Array(n);
        js.divide(n, x, d, expected);
        for (let i = 0; i < Math.min(n, 8); i++) expect(expected[i]).toBe(Math.fround(x[i] / d));
        const got = wasm.alloc(n);
        wasm.divide(
          n,
          copyInto((k) => wasm.alloc(k), x),
          d,
          got,
        );
        expect(bitsOf(got)).toEqual(bitsOf(expected));
      }
    }
  });

  it('divide leaves elements past n alone', () => {
    const y = new Float32Array([9, 9, 9]);
    js.divide(2, new Float32Array([2, 4, 6]), 2, y);
    expect(Array.from(y)).toEqual([1, 2, 9]);
  });

  it('unitBytes gives PIXEL_TO_UNIT for every byte value, in backend memory and from a foreign array', () => {
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    const expected = new Float32Array(256);
    js.unitBytes(all, 256, expected);
    expect(bitsOf(expected)).toEqual(bitsOf(PIXEL_TO_UNIT));
    const words = wasm.allocInt32(64);
    const owned = new Uint8Array(words.buffer, words.byteOffset, 256);
    owned.set(all);
    const x = wasm.alloc(256);
    wasm.unitBytes(owned, 256, x);
    expect(bitsOf(x)).toEqual(bitsOf(PIXEL_TO_UNIT));
    x.fill(0);
    wasm.unitBytes(all, 256, x);
    expect(bitsOf(x)).toEqual(bitsOf(PIXEL_TO_UNIT));
  });

  it('unitBytes over odd lengths and offsets matches the reference', () => {
    const rng = new Rng(8);
    for (const n of lengths) {
      const bytes = Uint8Array.from({ length: n + 3 }, () => rng.nextInt(256));
      const src = bytes.subarray(3);
      const expected = new Float32Array(n + 1);
      js.unitBytes(src, n, expected);
      const got = wasm.alloc(n + 1);
      wasm.unitBytes(src, n, got);
      expect(bitsOf(got)).toEqual(bitsOf(expected));
      expect(got[n]).toBe(0);
    }
  });
});
