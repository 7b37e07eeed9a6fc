import { describe, expect, it } from 'vitest';
import { compareGradients } from '../gradcheck/gradcheck.js';
import { numericalGradient } from '../gradcheck/numerical.js';
import { expectArraysClose, uniform } from '../gradcheck/test-util.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { SoftmaxWithLoss } from './softmax-with-loss.js';

const backend = new JsBackend();

describe('SoftmaxWithLoss', () => {
  it('forward sums the cross-entropy over rows; backward is (probs − onehot)·scale', () => {
    const layer = new SoftmaxWithLoss(backend, 3, 4);
    // e^z = [1, 2, 5] → probs [1/8, 1/4, 5/8]; label 1 → −ln(1/4). Second row uniform → ln 3.
    const loss = layer.forward(
      Float32Array.from([0, Math.log(2), Math.log(5), 2, 2, 2]),
      Int32Array.from([1, 2]),
      2,
    );
    expect(loss).toBeCloseTo(Math.log(4) + Math.log(3), 6);
    expectArraysClose(layer.backward(2).subarray(0, 6), [1 / 8, -3 / 4, 5 / 8, 1 / 3, 1 / 3, -2 / 3]);
    expectArraysClose(layer.backward(2, 0.5).subarray(0, 6), [1 / 16, -3 / 8, 5 / 16, 1 / 6, 1 / 6, -1 / 3]);
  });

  it('backward (scale 1) is the gradient of the loss sum, by central differences', () => {
    const layer = new SoftmaxWithLoss(backend, 5, 3);
    const logits = uniform(15, new Rng(1), -2, 2);
    const labels = Int32Array.from([4, 0, 2]);
    layer.forward(logits, labels, 3);
    const analytic = Float32Array.from(layer.backward(3).subarray(0, 15));
    const numerical = numericalGradient(() => layer.forward(logits, labels, 3), logits, 1e-2);
    expect(compareGradients(analytic, numerical).maxRelError).toBeLessThan(1e-3);
    // Forgetting the one-hot is caught.
    const noOnehot = Float32Array.from(layer.probs.subarray(0, 15));
    expect(compareGradients(noOnehot, numerical).maxRelError).toBeGreaterThan(0.5);
  });

  it('checks rows against maxRows', () => {
    const layer = new SoftmaxWithLoss(backend, 2, 1);
    expect(() => layer.forward(new Float32Array(4), Int32Array.from([0, 1]), 2)).toThrow(/\[1, 1\]/);
    layer.dispose();
  });
});
