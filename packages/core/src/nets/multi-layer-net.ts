import { Affine } from '../layers/affine.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { checkPositiveInteger } from '../layers/checks.js';
import { Dropout } from '../layers/dropout.js';
import type { Layer } from '../layers/layer.js';
import { Relu } from '../layers/relu.js';
import { Sigmoid } from '../layers/sigmoid.js';
import type { Backend } from '../tensor/backend.js';
import type { Activation, InitScheme } from '../train/config.js';
import { type ParamDecl, SequentialNet, type SharedParamsOption, type StatDecl } from './sequential-net.js';

export interface MultiLayerNetOptions extends SharedParamsOption {
  readonly inputSize: number;
  /** One entry per hidden layer (may be empty: plain softmax regression). */
  readonly hiddenSizes: readonly number[];
  readonly outputSize: number;
  /** Default 'relu'. */
  readonly activation?: Activation;
  /** 'std': initStd·N(0,1); 'xavier': √(1/n)·N(0,1); 'he': √(2/n)·N(0,1), n = fan-in. Default 'he' (the book's). */
  readonly init?: InitScheme;
  /** For init 'std' only (default 0.01). */
  readonly initStd?: number;
  /** L2 λ, applied by the step: loss += λ/2·Σ‖W‖², grad += λ·W (default 0). */
  readonly weightDecay?: number;
  /** Dropout ratio after each hidden activation; 0 (default) means no Dropout layers. */
  readonly dropout?: number;
  /** BatchNorm between each hidden Affine and its activation (default false). */
  readonly batchNorm?: boolean;
  readonly seed: number;
  readonly maxRows: number;
}

/**
 * The book's multi_layer_net_extend: per hidden layer i, Affine(Wi, bi) [– BatchNorm(gammai, betai)] –
 * activation [– Dropout], then a last Affine and SoftmaxWithLoss. Tensors are laid out layer by layer:
 * W1, b1, gamma1, beta1, W2, …; running statistics as mean1, var1, mean2, var2, ….
 */
export class MultiLayerNet extends SequentialNet {
  readonly hiddenSizes: readonly number[];
  readonly activation: Activation;
  readonly init: InitScheme;
  readonly dropout: number;
  readonly batchNorm: boolean;

  constructor(backend: Backend, options: MultiLayerNetOptions) {
    const { inputSize, outputSize, maxRows } = options;
    const hiddenSizes = [...options.hiddenSizes];
    const activation = options.activation ?? 'relu';
    const init = options.init ?? 'he';
    const initStd = options.initStd ?? 0.01;
    const dropout = options.dropout ?? 0;
    const batchNorm = options.batchNorm ?? false;
    for (const [i, h] of hiddenSizes.entries()) checkPositiveInteger(`hiddenSizes[${i}]`, h);
    if (activation !== 'relu' && activation !== 'sigmoid') {
      throw new RangeError(`activation must be 'relu' or 'sigmoid', got '${activation}'`);
    }
    if (init !== 'std' && init !== 'xavier' && init !== 'he') {
      throw new RangeError(`init must be 'std', 'xavier' or 'he', got '${init}'`);
    }
    if (!(initStd > 0 && Number.isFinite(initStd)))
      throw new RangeError(`initStd must be > 0, got ${initStd}`);
    if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`dropout must be in [0, 1), got ${dropout}`);

    const sizes = [inputSize, ...hiddenSizes, outputSize];
    const params: ParamDecl[] = [];
    const stats: StatDecl[] = [];
    for (let i = 1; i < sizes.length; i++) {
      const fanIn = sizes[i - 1];
      const std = init === 'he' ? Math.sqrt(2 / fanIn) : init === 'xavier' ? Math.sqrt(1 / fanIn) : initStd;
      params.push({ name: `W${i}`, shape: [fanIn, sizes[i]], decay: true, init: { std } });
      params.push({ name: `b${i}`, shape: [sizes[i]], decay: false, init: { fill: 0 } });
      if (batchNorm && i < sizes.length - 1) {
        params.push({ name: `gamma${i}`, shape: [sizes[i]], decay: false, init: { fill: 1 } });
        params.push({ name: `beta${i}`, shape: [sizes[i]], decay: false, init: { fill: 0 } });
        stats.push({ name: `mean${i}`, length: sizes[i] }, { name: `var${i}`, length: sizes[i] });
      }
    }

    super(backend, {
      inputSize,
      outputSize,
      maxRows,
      seed: options.seed,
      sharedParams: options.sharedParams,
      weightDecay: options.weightDecay ?? 0,
      params,
      stats,
      layers: (v) => {
        const layers: Layer[] = [];
        for (let i = 1; i < sizes.length; i++) {
          const size = sizes[i];
          layers.push(
            new Affine(backend, {
              inputSize: sizes[i - 1],
              outputSize: size,
              maxRows,
              W: v.param(`W${i}`),
              b: v.param(`b${i}`),
              dW: v.grad(`W${i}`),
              db: v.grad(`b${i}`),
              inputGrad: i > 1,
            }),
          );
          if (i === sizes.length - 1) break;
          if (batchNorm) {
            layers.push(
              new BatchNorm(backend, {
                size,
                maxRows,
                gamma: v.param(`gamma${i}`),
                beta: v.param(`beta${i}`),
                dgamma: v.grad(`gamma${i}`),
                dbeta: v.grad(`beta${i}`),
                runningMean: v.stat(`mean${i}`),
                runningVar: v.stat(`var${i}`),
                meanSum: v.statSum(`mean${i}`),
                varSum: v.statSum(`var${i}`),
              }),
            );
          }
          layers.push(
            activation === 'relu' ? new Relu(backend, size, maxRows) : new Sigmoid(backend, size, maxRows),
          );
          if (dropout > 0) layers.push(new Dropout(backend, size, maxRows, dropout));
        }
        return layers;
      },
    });
    this.hiddenSizes = hiddenSizes;
    this.activation = activation;
    this.init = init;
    this.dropout = dropout;
    this.batchNorm = batchNorm;
  }
}
