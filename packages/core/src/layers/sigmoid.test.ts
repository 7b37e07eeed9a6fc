import { describe, expect, it } from 'vitest';
import { expectArraysClose, layerGradientErrors, uniform } from '../gradcheck/test-util.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { Sigmoid } from './sigmoid.js';

const backend = new JsBackend();

describe('Sigmoid', () => {
  it('forward is 1/(1 + e^−x); backward is dout·y·(1 − y)', () => {
    const sigmoid = new Sigmoid(backend, 3, 1);
    const out = sigmoid.forward(Float32Array.from([0, Math.log(3), -Math.log(3)]), 1);
    expectArraysClose(out, [0.5, 0.75, 0.25]);
    // 4·(1/2)(1/2) = 1, 1·(3/4)(1/4) = 3/16, 2·(1/4)(3/4) = 3/8
    expectArraysClose(sigmoid.backward(Float32Array.from([4, 1, 2]), 1), [1, 3 / 16, 3 / 8]);
  });

  it('backward matches central differences (6 units, 4 rows)', () => {
    const sigmoid = new Sigmoid(backend, 6, 4);
    expect(layerGradientErrors(sigmoid, uniform(24, new Rng(1), -3, 3), 4, 6).x).toBeLessThan(1e-3);
  });

  it('gradient check catches a wrong sign, and a derivative taken from x instead of y', () => {
    class WrongSign extends Sigmoid {
      override backward(dout: Float32Array, rows: number): Float32Array {
        const dx = super.backward(dout, rows);
        for (let i = 0; i < rows * this.size; i++) dx[i] = -dx[i];
        return dx;
      }
    }
    class FromInput extends Sigmoid {
      private x: Float32Array = new Float32Array(0);
      override forward(x: Float32Array, rows: number): Float32Array {
        this.x = x;
        return super.forward(x, rows);
      }
      override backward(dout: Float32Array, rows: number): Float32Array {
        const dx = super.backward(dout, rows);
        for (let i = 0; i < rows * this.size; i++) dx[i] = dout[i] * this.x[i] * (1 - this.x[i]);
        return dx;
      }
    }
    const x = uniform(24, new Rng(2), -3, 3);
    expect(layerGradientErrors(new WrongSign(backend, 6, 4), x, 4, 6).x).toBeGreaterThan(0.5);
    expect(layerGradientErrors(new FromInput(backend, 6, 4), x, 4, 6).x).toBeGreaterThan(0.5);
  });
});
