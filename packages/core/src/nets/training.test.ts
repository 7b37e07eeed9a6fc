import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { MultiLayerNet } from './multi-layer-net.js';
import type { Net } from './net.js';
import { gaussianBlobs, rowsOf } from './test-data.js';
import { TwoLayerNet } from './two-layer-net.js';
import { addWeightDecayGradient } from './weight-decay.js';

const backend = new JsBackend();
const features = 8;
const classes = 4;
const blobs = gaussianBlobs(600, features, classes, 1);
const train = { ...rowsOf(blobs, features, 0, 400), count: 400 };
const test = rowsOf(blobs, features, 400, 200);

/** Plain mini-batch SGD, written out: grad = Σ/B + λW, W ← W − η·grad, then the batch-norm statistics. */
function sgd(net: Net, steps: number, batch: number, lr: number): number[] {
  const losses: number[] = [];
  const grad = new Float32Array(net.params.length);
  for (let step = 0; step < steps; step++) {
    const start = (step * batch) % train.count;
    const { x, labels } = rowsOf(train, features, start, batch);
    const { lossSum } = net.gradientSum(x, labels, batch, Rng.derive(7, step));
    losses.push(lossSum / batch);
    grad.set(net.grads);
    backend.scale(grad.length, 1 / batch, grad);
    addWeightDecayGradient(net, grad);
    backend.axpy(grad.length, -lr, grad, net.params);
    net.updateStats(net.statsSum, batch);
  }
  return losses;
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

describe('training on synthetic blobs', () => {
  it.each<[string, Net]>([
    [
      'TwoLayerNet',
      new TwoLayerNet(backend, {
        inputSize: features,
        hiddenSize: 16,
        outputSize: classes,
        seed: 1,
        maxRows: 200,
      }),
    ],
    [
      'MultiLayerNet with batch norm, dropout and weight decay',
      new MultiLayerNet(backend, {
        inputSize: features,
        hiddenSizes: [32, 16],
        outputSize: classes,
        batchNorm: true,
        dropout: 0.1,
        weightDecay: 1e-3,
        seed: 1,
        maxRows: 200,
      }),
    ],
  ])('%s: the loss falls and test accuracy ends high', (_, net) => {
    const losses = sgd(net, 300, 20, net instanceof TwoLayerNet ? 1 : 0.1);
    const first = mean(losses.slice(0, 20));
    const last = mean(losses.slice(-20));
    expect(last).toBeLessThan(0.3 * first);
    expect(last).toBeLessThan(0.3);
    const { correct } = net.evaluate(test.x, test.labels, 200);
    expect(correct / 200).toBeGreaterThan(0.9);
  });
});
