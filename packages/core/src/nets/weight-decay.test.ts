import { describe, expect, it } from 'vitest';
import { expectArraysClose } from '../gradcheck/test-util.js';
import { JsBackend } from '../tensor/js-backend.js';
import { MultiLayerNet } from './multi-layer-net.js';
import { addWeightDecayGradient, weightDecayLoss } from './weight-decay.js';

const backend = new JsBackend();

describe('weight decay', () => {
  const net = new MultiLayerNet(backend, {
    inputSize: 2,
    hiddenSizes: [2],
    outputSize: 1,
    batchNorm: true,
    weightDecay: 0.1,
    seed: 0,
    maxRows: 1,
  });
  // W1 (4) b1 (2) gamma1 (2) beta1 (2) W2 (2) b2 (1)
  net.params.set([1, 2, 3, 4, 10, 10, 10, 10, 10, 10, -1, 1, 10]);

  it('loss is λ/2·Σ‖W‖² over the weights only', () => {
    expect(weightDecayLoss(net)).toBeCloseTo(0.05 * (1 + 4 + 9 + 16 + 1 + 1), 6);
  });

  it('gradient adds λ·W to the weights only', () => {
    const grads = new Float32Array(13).fill(1);
    addWeightDecayGradient(net, grads);
    expectArraysClose(grads, [1.1, 1.2, 1.3, 1.4, 1, 1, 1, 1, 1, 1, 0.9, 1.1, 1]);
  });

  it('is a no-op without decay', () => {
    const plain = new MultiLayerNet(backend, {
      inputSize: 2,
      hiddenSizes: [],
      outputSize: 2,
      seed: 0,
      maxRows: 1,
    });
    const grads = new Float32Array(6);
    addWeightDecayGradient(plain, grads);
    expect(weightDecayLoss(plain)).toBe(0);
    expect(grads.every((g) => g === 0)).toBe(true);
  });
});
