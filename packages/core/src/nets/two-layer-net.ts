import { Affine } from '../layers/affine.js';
import { checkPositiveInteger } from '../layers/checks.js';
import { Sigmoid } from '../layers/sigmoid.js';
import type { Backend } from '../tensor/backend.js';
import { SequentialNet } from './sequential-net.js';

export interface TwoLayerNetOptions {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  /** Weights start as initStd·N(0, 1), biases at 0 (default 0.01, as the book). */
  readonly initStd?: number;
  readonly seed: number;
  readonly maxRows: number;
}

/** The book's two_layer_net: Affine(W1, b1) – Sigmoid – Affine(W2, b2) – SoftmaxWithLoss. */
export class TwoLayerNet extends SequentialNet {
  constructor(backend: Backend, options: TwoLayerNetOptions) {
    const { inputSize, hiddenSize, outputSize, maxRows } = options;
    const std = options.initStd ?? 0.01;
    checkPositiveInteger('hiddenSize', hiddenSize);
    super(backend, {
      inputSize,
      outputSize,
      maxRows,
      seed: options.seed,
      weightDecay: 0,
      params: [
        { name: 'W1', shape: [inputSize, hiddenSize], decay: true, init: { std } },
        { name: 'b1', shape: [hiddenSize], decay: false, init: { fill: 0 } },
        { name: 'W2', shape: [hiddenSize, outputSize], decay: true, init: { std } },
        { name: 'b2', shape: [outputSize], decay: false, init: { fill: 0 } },
      ],
      stats: [],
      layers: (v) => [
        new Affine(backend, {
          inputSize,
          outputSize: hiddenSize,
          maxRows,
          W: v.param('W1'),
          b: v.param('b1'),
          dW: v.grad('W1'),
          db: v.grad('b1'),
          inputGrad: false,
        }),
        new Sigmoid(backend, hiddenSize, maxRows),
        new Affine(backend, {
          inputSize: hiddenSize,
          outputSize,
          maxRows,
          W: v.param('W2'),
          b: v.param('b2'),
          dW: v.grad('W2'),
          db: v.grad('b2'),
        }),
      ],
    });
  }
}
