import type { ModelConfig, OptimizerConfig, OptimizerName, SamplerKind, TrainConfig } from '@descent/core';
import { UsageError } from './errors.js';
import {
  type CommandSpec,
  choiceFlag,
  type FlagSpec,
  type FlagValues,
  numberFlag,
  sizesFlag,
} from './flags.js';

const MNIST_TRAIN_SIZE = 60_000;
const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];

/** The flags that decide what is trained; defaults are the seed recipe (TwoLayerNet 784-50-10, SGD 0.1, batch 100). */
export const trainingFlags: Readonly<Record<string, FlagSpec>> = {
  model: {
    type: 'string',
    value: 'two-layer|mlp',
    help: 'network: the seed TwoLayerNet or a MultiLayerNet',
    default: 'two-layer',
  },
  hidden: {
    type: 'string',
    value: 'SIZES',
    help: 'hidden layer sizes, e.g. 50 or 100,100,100,100',
    default: '50',
  },
  activation: { type: 'string', value: 'relu|sigmoid', help: 'hidden activation', default: 'relu' },
  init: { type: 'string', value: 'std|xavier|he', help: 'weight init (two-layer: std; mlp: he)' },
  'init-std': { type: 'string', value: 'X', help: 'standard deviation for --init std', default: '0.01' },
  'weight-decay': { type: 'string', value: 'λ', help: 'L2 weight decay (mlp)', default: '0' },
  dropout: {
    type: 'string',
    value: 'RATIO',
    help: 'dropout after each hidden activation (mlp)',
    default: '0',
  },
  'batch-norm': { type: 'boolean', help: 'batch normalization before each activation (mlp)' },
  optimizer: { type: 'string', value: OPTIMIZERS.join('|'), help: 'update rule', default: 'sgd' },
  lr: { type: 'string', value: 'η', help: 'learning rate', default: '0.1' },
  momentum: { type: 'string', value: 'X', help: 'momentum and nesterov: velocity decay', default: '0.9' },
  'decay-rate': {
    type: 'string',
    value: 'X',
    help: 'rmsprop: decay of the squared-gradient average',
    default: '0.99',
  },
  beta1: { type: 'string', value: 'X', help: 'adam: first-moment decay', default: '0.9' },
  beta2: { type: 'string', value: 'X', help: 'adam: second-moment decay', default: '0.999' },
  eps: {
    type: 'string',
    value: 'X',
    help: 'adam/rmsprop/adagrad: added to the root of the squared-gradient average',
    default: '1e-7',
  },
  batch: { type: 'string', value: 'B', help: 'global mini-batch size', default: '100' },
  iters: { type: 'string', value: 'N', help: 'training steps (default 10000 unless --epochs)' },
  epochs: { type: 'string', value: 'E', help: 'training length in epochs (train size / batch steps each)' },
  shards: {
    type: 'string',
    value: 'S',
    help: 'micro-shards per step; fixed per run, never by the worker count',
    default: '4',
  },
  sampler: {
    type: 'string',
    value: 'replacement|epoch',
    help: 'batches drawn with replacement (seed) or shuffled epochs',
    default: 'replacement',
  },
  seed: { type: 'string', value: 'N', help: 'seed for init, sampling and dropout', default: '42' },
  'eval-every': {
    type: 'string',
    value: 'N',
    help: 'steps between train/test evaluations (default: one epoch)',
  },
};

/** Turns the training flags into a validated TrainConfig. */
export function trainConfigFromFlags(
  values: FlagValues,
  spec: CommandSpec,
  inputSize = 784,
  outputSize = 10,
): TrainConfig {
  const kind = choiceFlag(values, 'model', spec, ['two-layer', 'mlp'] as const) ?? 'two-layer';
  const hidden = sizesFlag(values, 'hidden', spec) ?? [50];
  if (kind === 'two-layer' && hidden.length !== 1) {
    throw new UsageError(
      `--model two-layer has exactly one hidden layer; got --hidden ${hidden.join(',')} (use --model mlp)`,
    );
  }
  const twoLayer = kind === 'two-layer';
  const dropout = numberFlag(values, 'dropout', spec, { min: 0, max: 0.99 }) ?? 0;
  const weightDecay = numberFlag(values, 'weight-decay', spec, { min: 0 }) ?? 0;
  const batchNorm = values['batch-norm'] === true;
  if (twoLayer && (dropout > 0 || weightDecay > 0 || batchNorm)) {
    throw new UsageError(
      '--dropout, --weight-decay and --batch-norm need --model mlp (TwoLayerNet is the plain seed net)',
    );
  }
  const model: ModelConfig = {
    kind,
    inputSize,
    hidden,
    outputSize,
    activation: choiceFlag(values, 'activation', spec, ['relu', 'sigmoid'] as const) ?? 'relu',
    init: choiceFlag(values, 'init', spec, ['std', 'xavier', 'he'] as const) ?? (twoLayer ? 'std' : 'he'),
    initStd: numberFlag(values, 'init-std', spec, { min: 0 }) ?? 0.01,
    weightDecay,
    dropout,
    batchNorm,
  };
  const optimizer: OptimizerConfig = {
    name: choiceFlag(values, 'optimizer', spec, OPTIMIZERS) ?? 'sgd',
    lr: positive(numberFlag(values, 'lr', spec), 'lr'),
    momentum: unitInterval(numberFlag(values, 'momentum', spec), 'momentum', 0.9),
    decayRate: unitInterval(numberFlag(values, 'decay-rate', spec), 'decay-rate', 0.99),
    beta1: unitInterval(numberFlag(values, 'beta1', spec), 'beta1', 0.9),
    beta2: unitInterval(numberFlag(values, 'beta2', spec), 'beta2', 0.999),
    eps: positive(numberFlag(values, 'eps', spec) ?? 1e-7, 'eps'),
  };
  const batch = numberFlag(values, 'batch', spec, { integer: true, min: 1 }) ?? 100;
  const stepsPerEpoch = Math.max(1, Math.floor(MNIST_TRAIN_SIZE / batch));
  const epochs = numberFlag(values, 'epochs', spec, { min: 0 });
  const itersFlag = numberFlag(values, 'iters', spec, { integer: true, min: 1 });
  if (epochs !== undefined && itersFlag !== undefined)
    throw new UsageError('give --iters or --epochs, not both');
  const iters =
    itersFlag ?? (epochs !== undefined ? Math.max(1, Math.round(epochs * stepsPerEpoch)) : 10_000);
  const shards = numberFlag(values, 'shards', spec, { integer: true, min: 1 }) ?? 4;
  if (shards > batch)
    throw new UsageError(
      `--shards ${shards} is more than --batch ${batch}: every micro-shard needs a sample`,
    );
  return {
    model,
    optimizer,
    batch,
    iters,
    shards,
    sampler: (choiceFlag(values, 'sampler', spec, ['replacement', 'epoch'] as const) ??
      'replacement') as SamplerKind,
    seed: numberFlag(values, 'seed', spec, { integer: true, min: 0, max: 0xffffffff }) ?? 42,
    evalEvery: numberFlag(values, 'eval-every', spec, { integer: true, min: 1 }) ?? stepsPerEpoch,
  };
}

/** A decay factor: in [0, 1), since 1 would never forget and the update rules divide by 1 − β. */
function unitInterval(n: number | undefined, name: string, fallback: number): number {
  const v = n ?? fallback;
  if (!(v >= 0 && v < 1)) throw new UsageError(`--${name} must be at least 0 and below 1, got ${v}`);
  return v;
}

function positive(n: number | undefined, name: string): number {
  if (n === undefined) throw new UsageError(`--${name} is required`);
  if (!(n > 0)) throw new UsageError(`--${name} must be greater than 0, got ${n}`);
  return n;
}

/** Training flags given alongside --resume would silently disagree with the checkpoint's config. */
export function rejectTrainingFlagsOnResume(values: FlagValues): void {
  const given = Object.keys(trainingFlags).filter((name) => values[name] !== undefined);
  if (given.length > 0) {
    throw new UsageError(
      `--resume continues the run with its saved config; drop ${given.map((f) => `--${f}`).join(', ')}`,
    );
  }
}
