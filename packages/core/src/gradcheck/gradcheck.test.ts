import { describe, expect, it } from 'vitest';
import { MultiLayerNet } from '../nets/multi-layer-net.js';
import { gaussianBlobs } from '../nets/test-data.js';
import { TwoLayerNet } from '../nets/two-layer-net.js';
import { JsBackend } from '../tensor/js-backend.js';
import { compareGradients, crossEntropySum, formatGradcheck, gradcheck } from './gradcheck.js';

const backend = new JsBackend();
const data = gaussianBlobs(5, 6, 3, 1);

describe('gradcheck', () => {
  it('reports every tensor by name, and samples at most maxEntries of each', () => {
    const net = new TwoLayerNet(backend, {
      inputSize: 6,
      hiddenSize: 8,
      outputSize: 3,
      initStd: 0.5,
      seed: 1,
      maxRows: 5,
    });
    const report = gradcheck(net, data.x, data.labels, 5, { maxEntries: 10 });
    expect(report.ok, formatGradcheck(report)).toBe(true);
    expect(report.tensors.map((t) => [t.name, t.checked])).toEqual([
      ['W1', 10],
      ['b1', 8],
      ['W2', 10],
      ['b2', 3],
    ]);
    expect(formatGradcheck(report)).toMatch(/^ok {3}W1 +checked +10 .*max rel/);
  });

  it('fails the tensors whose gradient is wrong, and names the worst entry', () => {
    const net = new TwoLayerNet(backend, {
      inputSize: 6,
      hiddenSize: 8,
      outputSize: 3,
      initStd: 0.5,
      seed: 1,
      maxRows: 5,
      // Smooth everywhere, so no entry of W2's gradient is zero by a dead unit.
      activation: 'sigmoid',
    });
    const gradientSum = net.gradientSum.bind(net);
    // A bug that doubles one entry of W2's gradient.
    net.gradientSum = (...args) => {
      const outcome = gradientSum(...args);
      net.grads[net.specs[2].offset + 7] *= 2;
      return outcome;
    };
    const report = gradcheck(net, data.x, data.labels, 5);
    expect(report.ok).toBe(false);
    expect(report.tensors.filter((t) => !t.ok).map((t) => [t.name, t.worstIndex])).toEqual([['W2', 7]]);
    expect(formatGradcheck(report)).toMatch(/FAIL W2 .* worst at \[7\]/);
  });

  it('includes the L2 term on both sides when the net has weight decay', () => {
    const net = new MultiLayerNet(backend, {
      inputSize: 6,
      hiddenSizes: [4],
      outputSize: 3,
      activation: 'sigmoid',
      weightDecay: 0.5,
      seed: 2,
      maxRows: 5,
    });
    expect(gradcheck(net, data.x, data.labels, 5).ok).toBe(true);
    // Leaving the L2 gradient out of the analytic side shows up on the weights only.
    const free = new MultiLayerNet(backend, {
      inputSize: 6,
      hiddenSizes: [4],
      outputSize: 3,
      activation: 'sigmoid',
      seed: 2,
      maxRows: 5,
    });
    Object.defineProperty(free, 'weightDecay', { get: () => (reading++ === 0 ? 0 : 0.5) });
    let reading = 0;
    const report = gradcheck(free, data.x, data.labels, 5);
    expect(report.tensors.filter((t) => !t.ok).map((t) => t.name)).toEqual(['W1', 'W2']);
  });

  it('compareGradients uses an absolute floor near zero and reports NaN', () => {
    expect(compareGradients([1, 1e-6], [1.001, 2e-6], 1e-3).maxRelError).toBeCloseTo(1e-3, 6);
    expect(compareGradients([1, Number.NaN, 1], [1, 1, 2]).maxRelError).toBeNaN();
    expect(() => compareGradients([1], [1, 2])).toThrow(/lengths differ/);
  });

  it('crossEntropySum is the summed −log softmax, stable on huge logits', () => {
    const logits = Float32Array.from([0, Math.log(3), 1000, 0]);
    expect(crossEntropySum(logits, Int32Array.from([0, 1]), 2, 2)).toBeCloseTo(Math.log(4) + 1000, 6);
  });
});
