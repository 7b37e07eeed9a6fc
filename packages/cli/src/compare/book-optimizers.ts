import type { OptimizerConfig, OptimizerName, TrainConfig } from '@descent/core';

/** The book's learning rates for its MNIST comparison (optimizer_compare_mnist.py and common/optimizer.py defaults). */
export const BOOK_LR: Readonly<Record<OptimizerName, number>> = {
  sgd: 0.01,
  momentum: 0.01,
  nesterov: 0.01,
  adagrad: 0.01,
  rmsprop: 0.01,
  adam: 0.001,
};

export const OPTIMIZER_ORDER: readonly OptimizerName[] = [
  'sgd',
  'momentum',
  'nesterov',
  'adagrad',
  'rmsprop',
  'adam',
];

export const OPTIMIZER_LABEL: Readonly<Record<OptimizerName, string>> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  adagrad: 'AdaGrad',
  rmsprop: 'RMSProp',
  adam: 'Adam',
};

export function bookOptimizer(name: OptimizerName): OptimizerConfig {
  return { name, lr: BOOK_LR[name], momentum: 0.9, decayRate: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-7 };
}

/**
 * The book's MNIST comparison run for one optimizer: MultiLayerNet 784-100-100-100-100-10 with ReLU and He init,
 * batch 128. The seed is shared, so every optimizer starts from the same weights and sees the same batches.
 */
export function bookCompareConfig(
  name: OptimizerName,
  o: { iters: number; batch: number; seed: number; shards: number },
): TrainConfig {
  return {
    model: {
      kind: 'mlp',
      inputSize: 784,
      hidden: [100, 100, 100, 100],
      outputSize: 10,
      activation: 'relu',
      init: 'he',
      initStd: 0.01,
      weightDecay: 0,
      dropout: 0,
      batchNorm: false,
    },
    optimizer: bookOptimizer(name),
    batch: o.batch,
    iters: o.iters,
    shards: o.shards,
    sampler: 'replacement',
    seed: o.seed,
    // Only the final evaluation: the comparison is about the loss curves.
    evalEvery: 0,
  };
}
