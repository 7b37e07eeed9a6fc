import type { Dataset } from '../data/dataset.js';
import { MultiLayerNet } from '../nets/multi-layer-net.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import type { TrainConfig } from './config.js';

export const FEATURES = 12;
export const CLASSES = 3;

/**
 * A small learnable data set: 12-pixel images where pixels j ≡ label (mod 3) are bright and the rest dim
 * noise, so a linear layer can tell the classes apart.
 */
export function syntheticDataset(count: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const images = new Uint8Array(count * FEATURES);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = rng.nextInt(CLASSES);
    labels[n] = label;
    for (let j = 0; j < FEATURES; j++) {
      images[n * FEATURES + j] = j % CLASSES === label ? 150 + rng.nextInt(106) : rng.nextInt(120);
    }
  }
  return { count, rows: 3, cols: 4, features: FEATURES, classes: CLASSES, images, labels };
}

export interface SmallNetOptions {
  readonly dropout?: number;
  readonly batchNorm?: boolean;
  readonly weightDecay?: number;
  readonly maxRows?: number;
  readonly seed?: number;
}

/** 12-8-6-3 ReLU net, with every feature the step must carry (dropout, batch norm, decay) when asked. */
export function smallNet(options: SmallNetOptions = {}): MultiLayerNet {
  return new MultiLayerNet(new JsBackend(), {
    inputSize: FEATURES,
    hiddenSizes: [8, 6],
    outputSize: CLASSES,
    dropout: options.dropout ?? 0,
    batchNorm: options.batchNorm ?? false,
    weightDecay: options.weightDecay ?? 0,
    seed: options.seed ?? 11,
    maxRows: options.maxRows ?? 16,
  });
}

/** MNIST-like images: `density` of the pixels lit, the rest exactly zero; 10 classes. */
export function imageSet(count: number, features: number, density: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const images = new Uint8Array(count * features);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    labels[n] = rng.nextInt(10);
    for (let j = 0; j < features; j++)
      if (rng.nextFloat() < density) images[n * features + j] = 1 + rng.nextInt(255);
  }
  return { count, rows: 1, cols: features, features, classes: 10, images, labels };
}

/** A run over imageSet(…, 64, …) rows: an MLP with weight decay, momentum, 4 shards of a 30-row batch. */
export const imageRun: TrainConfig = {
  model: {
    kind: 'mlp',
    inputSize: 64,
    hidden: [20, 12],
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
    lr: 0.05,
    momentum: 0.9,
    decayRate: 0.99,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-7,
  },
  batch: 30,
  iters: 40,
  shards: 4,
  sampler: 'epoch',
  seed: 8,
  evalEvery: 0,
};
