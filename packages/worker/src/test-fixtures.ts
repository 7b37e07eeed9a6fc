import { type BackendName, type DataSplits, type Dataset, Rng, type TrainConfig } from '@descent/core';
import { ShardEngine } from './shard-engine.js';

// A small factored run shared by the engine's and the task runner's tests.

function dataset(count: number, rng: Rng): Dataset {
  const images = new Uint8Array(count * 16);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng.nextInt(10);
    for (let p = 0; p < 16; p++) images[i * 16 + p] = rng.nextInt(4) === 0 ? 0 : rng.nextInt(256);
  }
  return { count, rows: 4, cols: 4, features: 16, classes: 10, images, labels };
}

const rng = new Rng(5);
export const data: DataSplits = {
  train: dataset(60, rng),
  test: dataset(20, rng),
  fingerprint: 'x',
  source: 'synthetic',
};

export const config: TrainConfig = {
  model: {
    kind: 'mlp',
    inputSize: 16,
    hidden: [8],
    outputSize: 10,
    activation: 'relu',
    init: 'he',
    initStd: 0.01,
    weightDecay: 0.001,
    dropout: 0,
    batchNorm: false,
  },
  optimizer: {
    name: 'momentum',
    lr: 0.1,
    momentum: 0.9,
    decayRate: 0.99,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
  },
  batch: 12,
  iters: 5,
  shards: 4,
  sampler: 'replacement',
  seed: 7,
  evalEvery: 0,
};

/** A factored engine holding the run's initial parameters as step 0. */
export function engine(backend: BackendName = 'js'): ShardEngine {
  const e = new ShardEngine({ config, backend, data, fullHashEvery: 4, factored: true });
  e.adopt(0, e.net.params.slice(), e.net.stats, 0);
  return e;
}
