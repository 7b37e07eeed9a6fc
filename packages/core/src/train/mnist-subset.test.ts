import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset.js';
import { loadMnist } from '../data/mnist.js';
import { JsBackend } from '../tensor/js-backend.js';
import type { TrainConfig } from './config.js';
import { createLocalTrainer } from './local-trainer.js';

function firstRows(d: Dataset, count: number): Dataset {
  return {
    ...d,
    count,
    images: d.images.subarray(0, count * d.features),
    labels: d.labels.subarray(0, count),
  };
}

const seedRecipe: TrainConfig = {
  model: {
    kind: 'two-layer',
    inputSize: 784,
    hidden: [50],
    outputSize: 10,
    activation: 'relu',
    init: 'std',
    initStd: 0.01,
    weightDecay: 0,
    dropout: 0,
    batchNorm: false,
  },
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, decayRate: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-7 },
  batch: 100,
  iters: 300,
  shards: 4,
  sampler: 'replacement',
  seed: 42,
  evalEvery: 0,
};

describe('the seed recipe on an MNIST subset', () => {
  it('clearly learns: 300 steps on 5,000 images take test accuracy from chance to above 0.8', () => {
    const mnist = loadMnist();
    const data = { train: firstRows(mnist.train, 5000), test: firstRows(mnist.test, 1000) };
    const losses: number[] = [];
    const trainer = createLocalTrainer(seedRecipe, data, new JsBackend(), {
      onStep: (r) => losses.push(r.loss),
    });
    const before = trainer.evaluate().test;
    trainer.run(seedRecipe.iters);
    const after = trainer.evaluate().test;
    expect(before?.correct ?? 1000).toBeLessThan(200);
    expect((after?.correct ?? 0) / 1000).toBeGreaterThan(0.8);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-20))).toBeLessThan(0.3 * mean(losses.slice(0, 20)));
  });
});
