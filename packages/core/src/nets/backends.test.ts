import { describe, expect, it } from 'vitest';
import { formatGradcheck, gradcheck } from '../gradcheck/gradcheck.js';
import { expectArraysClose } from '../gradcheck/test-util.js';
import { Rng } from '../rng.js';
import { backendNames, createBackend } from '../tensor/create.js';
import { MultiLayerNet, type MultiLayerNetOptions } from './multi-layer-net.js';
import { gaussianBlobs } from './test-data.js';

// The layers and nets are written once over the Backend interface: every backend must run them to the
// js reference's results (within float tolerance), and pass gradcheck on its own.
const data = gaussianBlobs(6, 9, 5, 4);
const options: MultiLayerNetOptions = {
  inputSize: 9,
  hiddenSizes: [11, 7],
  outputSize: 5,
  batchNorm: true,
  dropout: 0.2,
  weightDecay: 0.01,
  seed: 2,
  maxRows: 8,
};

describe.each(backendNames.filter((name) => name !== 'js'))('the nets on the %s backend', (name) => {
  it('give the js results: logits, loss, correct count, gradients and batch statistics', () => {
    const reference = new MultiLayerNet(createBackend('js'), options);
    const net = new MultiLayerNet(createBackend(name), options);
    expect(Array.from(net.params)).toEqual(Array.from(reference.params));
    const a = reference.gradientSum(data.x, data.labels, 6, new Rng(1));
    const b = net.gradientSum(data.x, data.labels, 6, new Rng(1));
    expect(b.correct).toBe(a.correct);
    expect(b.lossSum).toBeCloseTo(a.lossSum, 4);
    expectArraysClose(net.grads, reference.grads, { rtol: 1e-4, atol: 1e-5 });
    expectArraysClose(net.statsSum, reference.statsSum, { rtol: 1e-4, atol: 1e-5 });
    reference.updateStats(reference.statsSum, 6);
    net.updateStats(net.statsSum, 6);
    expectArraysClose(net.predict(data.x, 6, 'eval'), reference.predict(data.x, 6, 'eval'), {
      rtol: 1e-4,
      atol: 1e-4,
    });
    net.dispose();
  });

  it('pass gradcheck', () => {
    const net = new MultiLayerNet(createBackend(name), options);
    const report = gradcheck(net, data.x, data.labels, 6);
    expect(report.ok, formatGradcheck(report)).toBe(true);
  });
});
