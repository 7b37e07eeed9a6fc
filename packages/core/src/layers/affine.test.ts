import { describe, expect, it } from 'vitest';
import { expectArraysClose, layerGradientErrors, uniform } from '../gradcheck/test-util.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { Affine } from './affine.js';

const backend = new JsBackend();

function makeAffine(inputSize: number, outputSize: number, maxRows: number, seed: number, inputGrad = true) {
  const rng = new Rng(seed);
  const W = uniform(inputSize * outputSize, rng);
  const b = uniform(outputSize, rng);
  const dW = new Float32Array(inputSize * outputSize);
  const db = new Float32Array(outputSize);
  const layer = new Affine(backend, { inputSize, outputSize, maxRows, W, b, dW, db, inputGrad });
  return { layer, W, b, dW, db };
}

describe('Affine', () => {
  it('forward is x·W + b (hand-worked)', () => {
    const W = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3×2
    const b = Float32Array.from([10, 20]);
    const layer = new Affine(backend, {
      inputSize: 3,
      outputSize: 2,
      maxRows: 4,
      W,
      b,
      dW: new Float32Array(6),
      db: new Float32Array(2),
    });
    // [1, 0, −1]·W = [1 − 5, 2 − 6] = [−4, −4]; [2, 1, 0]·W = [2 + 3, 4 + 4] = [5, 8].
    const out = layer.forward(Float32Array.from([1, 0, -1, 2, 1, 0]), 2);
    expect(Array.from(out.subarray(0, 4))).toEqual([6, 16, 15, 28]);
  });

  it('backward overwrites dW = xᵀ·dout and db = Σ dout, returns dx = dout·Wᵀ (hand-worked)', () => {
    const { layer, W, dW, db } = makeAffine(3, 2, 4, 1);
    W.set([1, 2, 3, 4, 5, 6]);
    const x = Float32Array.from([1, 0, -1, 2, 1, 0]);
    const dout = Float32Array.from([1, 2, 3, 4]);
    const doutCopy = Float32Array.from(dout);
    dW.fill(99);
    db.fill(99);
    layer.forward(x, 2);
    const dx = layer.backward(dout, 2);
    // dx row 0 = [1, 2]·Wᵀ = [1 + 4, 3 + 8, 5 + 12]; row 1 = [3, 4]·Wᵀ = [3 + 8, 9 + 16, 15 + 24].
    expect(Array.from(dx.subarray(0, 6))).toEqual([5, 11, 17, 11, 25, 39]);
    // dW = xᵀ·dout: x column 0 is [1, 2] → [1·1 + 2·3, 1·2 + 2·4] …
    expect(Array.from(dW)).toEqual([7, 10, 3, 4, -1, -2]);
    expect(Array.from(db)).toEqual([4, 6]);
    expect(Array.from(dout)).toEqual(Array.from(doutCopy));
  });

  it('backward matches central differences for dx, W and b (7 inputs, 5 outputs, 3 rows)', () => {
    const { layer, W, b, dW, db } = makeAffine(7, 5, 4, 2);
    const x = uniform(3 * 7, new Rng(3));
    const errors = layerGradientErrors(layer, x, 3, 5, [
      { name: 'W', value: W, grad: dW },
      { name: 'b', value: b, grad: db },
    ]);
    for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThan(1e-3);
  });

  it('a first layer can skip dx: backwardParams gives the same dW and db, backward refuses', () => {
    const full = makeAffine(4, 3, 2, 5);
    const first = makeAffine(4, 3, 2, 5, false);
    const x = uniform(8, new Rng(6));
    const dout = uniform(6, new Rng(7));
    full.layer.forward(x, 2);
    full.layer.backward(dout, 2);
    first.layer.forward(x, 2);
    first.layer.backwardParams(dout, 2);
    expect(Array.from(first.dW)).toEqual(Array.from(full.dW));
    expect(Array.from(first.db)).toEqual(Array.from(full.db));
    expect(() => first.layer.backward(dout, 2)).toThrow(/without inputGrad/);
  });

  it('gradient check catches a dropped bias gradient', () => {
    class NoBiasGrad extends Affine {
      override backwardParams(dout: Float32Array, rows: number): void {
        super.backwardParams(dout, rows);
        this.db.fill(0);
      }
    }
    const rng = new Rng(8);
    const W = uniform(12, rng);
    const b = uniform(3, rng);
    const dW = new Float32Array(12);
    const db = new Float32Array(3);
    const layer = new NoBiasGrad(backend, { inputSize: 4, outputSize: 3, maxRows: 2, W, b, dW, db });
    const errors = layerGradientErrors(layer, uniform(8, rng), 2, 3, [
      { name: 'W', value: W, grad: dW },
      { name: 'b', value: b, grad: db },
    ]);
    expect(errors.W).toBeLessThan(1e-3);
    expect(errors.b).toBeGreaterThan(0.5);
  });

  it('checks its views and its rows', () => {
    const { layer } = makeAffine(2, 2, 3, 9);
    expect(() => layer.forward(new Float32Array(8), 4)).toThrow(/rows must be an integer in \[1, 3\]/);
    expect(() => layer.backward(new Float32Array(4), 2)).toThrow(/before forward/);
    layer.forward(new Float32Array(6), 3);
    expect(() => layer.backward(new Float32Array(4), 2)).toThrow(/got 2 rows, forward had 3/);
    expect(
      () =>
        new Affine(backend, {
          inputSize: 2,
          outputSize: 2,
          maxRows: 1,
          W: new Float32Array(3),
          b: new Float32Array(2),
          dW: new Float32Array(4),
          db: new Float32Array(2),
        }),
    ).toThrow(/W must have 4 elements, got 3/);
  });

  it('allocates its buffers from the backend once, and gives them back', () => {
    const { layer } = makeAffine(3, 2, 4, 10);
    const x = uniform(12, new Rng(11));
    const first = layer.forward(x, 4);
    const second = layer.forward(x, 2);
    expect(second).toBe(first);
    expectArraysClose(second.subarray(0, 4), first.subarray(0, 4));
    layer.dispose();
  });
});
