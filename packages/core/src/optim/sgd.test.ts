import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { WasmBackend } from '../tensor/wasm-backend.js';
import { Sgd } from './sgd.js';

const bits = (x: Float32Array) => [...new Uint32Array(x.buffer, x.byteOffset, x.length)];

describe('Sgd.updateMean', () => {
  it('gives the bits of dividing the sum and then updating, on each backend and without one', () => {
    const rng = new Rng(4);
    for (const backend of [new WasmBackend(), new JsBackend(), undefined]) {
      for (const n of [1, 7, 40, 1027]) {
        const sum = Float32Array.from({ length: n }, () => 37 * rng.nextGaussian());
        const start = Float32Array.from({ length: n }, () => rng.nextGaussian());
        const sgd = new Sgd(n, { lr: 0.1, backend });
        const [apart, fused] = [Float32Array.from(start), Float32Array.from(start)];
        const mean = new Float32Array(n);
        for (let i = 0; i < n; i++) mean[i] = sum[i] / 100;
        sgd.update(apart, mean);
        const grads = new Float32Array(n);
        sgd.updateMean(fused, sum, 100, grads);
        expect(bits(fused)).toEqual(bits(apart));
        expect(bits(grads)).toEqual(bits(mean));
        // In place, as applyStep calls it: the sum's buffer becomes the mean.
        const inPlace = Float32Array.from(start);
        const sumThenMean = Float32Array.from(sum);
        sgd.updateMean(inPlace, sumThenMean, 100, sumThenMean);
        expect(bits(inPlace)).toEqual(bits(apart));
        expect(bits(sumThenMean)).toEqual(bits(mean));
      }
    }
  });

  it('refuses a sum of another length', () => {
    expect(() =>
      new Sgd(3).updateMean(new Float32Array(3), new Float32Array(2), 10, new Float32Array(3)),
    ).toThrow(/sgd/);
  });
});
