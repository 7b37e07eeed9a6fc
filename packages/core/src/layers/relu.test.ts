import { describe, expect, it } from 'vitest';
import { layerGradientErrors } from '../gradcheck/test-util.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { Relu } from './relu.js';

const backend = new JsBackend();

/** Values in ±[0.1, 1): away from the kink at 0, so central differences with h = 1e-2 see a straight line. */
function awayFromZero(length: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from(
    { length },
    () => (rng.nextFloat() < 0.5 ? -1 : 1) * (0.1 + 0.9 * rng.nextFloat()),
  );
}

describe('Relu', () => {
  it('forward clamps at 0; backward passes dout where x > 0 and leaves dout alone', () => {
    const relu = new Relu(backend, 3, 2);
    const out = relu.forward(Float32Array.from([-2, 0, 3, 1.5, -0.5, 4]), 2);
    expect(Array.from(out)).toEqual([0, 0, 3, 1.5, 0, 4]);
    const dout = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(relu.backward(dout, 2))).toEqual([0, 0, 3, 4, 0, 6]);
    expect(Array.from(dout)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('backward matches central differences (5 units, 3 rows)', () => {
    const relu = new Relu(backend, 5, 3);
    expect(layerGradientErrors(relu, awayFromZero(15, 1), 3, 5).x).toBeLessThan(1e-3);
  });

  it('gradient check catches a wrong sign in backward', () => {
    class WrongSign extends Relu {
      override backward(dout: Float32Array, rows: number): Float32Array {
        const dx = super.backward(dout, rows);
        for (let i = 0; i < rows * this.size; i++) dx[i] = -dx[i];
        return dx;
      }
    }
    expect(layerGradientErrors(new WrongSign(backend, 5, 3), awayFromZero(15, 2), 3, 5).x).toBeGreaterThan(
      0.5,
    );
  });

  it('is not confused by input buffers reused after forward', () => {
    const relu = new Relu(backend, 2, 1);
    const x = Float32Array.from([-1, 1]);
    relu.forward(x, 1);
    x.fill(5);
    expect(Array.from(relu.backward(Float32Array.from([7, 8]), 1))).toEqual([0, 8]);
    relu.dispose();
  });
});
