import type { OptimizerName } from '../optim/optimizer.js';

export type Activation = 'relu' | 'sigmoid';
export type InitScheme = 'std' | 'xavier' | 'he';

export interface ModelConfig {
  /** 'two-layer' is the seed's TwoLayerNet: Affine–activation–Affine–SoftmaxWithLoss, 0.01·N(0,1) init (the book's layered version uses ReLU, which reaches the seed's 0.97). */
  readonly kind: 'two-layer' | 'mlp';
  readonly inputSize: number;
  readonly hidden: readonly number[];
  readonly outputSize: number;
  readonly activation: Activation;
  readonly init: InitScheme;
  /** Standard deviation for init 'std'. */
  readonly initStd: number;
  /** L2 weight-decay λ; 0 turns it off. */
  readonly weightDecay: number;
  /** Dropout ratio after each hidden activation; 0 turns it off. */
  readonly dropout: number;
  readonly batchNorm: boolean;
}

export interface OptimizerConfig {
  readonly name: OptimizerName;
  readonly lr: number;
  /** momentum and nesterov */
  readonly momentum: number;
  /** rmsprop */
  readonly decayRate: number;
  /** adam */
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

export type SamplerKind = 'replacement' | 'epoch';

/** Everything that decides the weights a run ends with (with the backend): same config ⇒ same paramsSha256. */
export interface TrainConfig {
  readonly model: ModelConfig;
  readonly optimizer: OptimizerConfig;
  readonly batch: number;
  readonly iters: number;
  /** Micro-shards per step: fixed by the config, never by the number of workers. */
  readonly shards: number;
  readonly sampler: SamplerKind;
  readonly seed: number;
  /** Evaluate train and test accuracy every this many steps (the seed: one epoch = train size / batch). */
  readonly evalEvery: number;
}
