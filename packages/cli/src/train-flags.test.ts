import { describe, expect, it } from 'vitest';
import type { CommandSpec } from './flags.js';
import { parseFlags } from './flags.js';
import { trainConfigFromFlags, trainingFlags } from './train-flags.js';

const spec: CommandSpec = { name: 'train', summary: '', flags: trainingFlags };
const config = (...argv: string[]) => {
  const values = parseFlags(spec, argv);
  if (values === 'help') throw new Error('help');
  return trainConfigFromFlags(values, spec);
};

describe('training flags', () => {
  it('default to the seed recipe: TwoLayerNet 784-50-10, SGD 0.1, batch 100, 10,000 steps, one epoch between evaluations', () => {
    const c = config();
    expect(c.model).toMatchObject({
      kind: 'two-layer',
      inputSize: 784,
      hidden: [50],
      outputSize: 10,
      init: 'std',
      initStd: 0.01,
    });
    expect(c.optimizer).toMatchObject({ name: 'sgd', lr: 0.1 });
    expect(c).toMatchObject({ batch: 100, iters: 10_000, sampler: 'replacement', evalEvery: 600 });
  });

  it('turns --epochs into steps of train size / batch', () => {
    expect(config('--epochs', '2', '--batch', '200').iters).toBe(600);
  });

  it('builds a MultiLayerNet with every option', () => {
    const c = config(
      '--model',
      'mlp',
      '--hidden',
      '100,100,100,100',
      '--batch-norm',
      '--dropout',
      '0.2',
      '--weight-decay',
      '0.01',
    );
    expect(c.model).toMatchObject({
      kind: 'mlp',
      hidden: [100, 100, 100, 100],
      init: 'he',
      batchNorm: true,
      dropout: 0.2,
      weightDecay: 0.01,
    });
  });

  it('refuses options the seed TwoLayerNet does not have, pointing at --model mlp', () => {
    expect(() => config('--hidden', '100,100')).toThrow(/--model mlp/);
    expect(() => config('--dropout', '0.5')).toThrow(/--model mlp/);
  });

  it('refuses conflicting or impossible values with a message naming the flag', () => {
    expect(() => config('--iters', '10', '--epochs', '1')).toThrow(/--iters or --epochs/);
    expect(() => config('--shards', '200')).toThrow(/--shards 200 is more than --batch 100/);
    expect(() => config('--lr', '0')).toThrow(/--lr must be greater than 0/);
    expect(() => config('--momentum', '1')).toThrow(/--momentum must be at least 0 and below 1, got 1/);
    expect(() => config('--optimizer', 'adam', '--beta2', '1.5')).toThrow(
      /--beta2 must be at least 0 and below 1/,
    );
    expect(() => config('--eps', '0')).toThrow(/--eps must be greater than 0/);
    expect(() => config('--optimizer', 'adamw')).toThrow(
      /--optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam/,
    );
    expect(() => config('--hidden', '10,,3')).toThrow(/--hidden must be positive whole numbers/);
  });

  it('refuses an unknown flag, naming it and pointing at --help', () => {
    expect(() => parseFlags(spec, ['--learning-rate', '1'])).toThrow(
      /'--learning-rate'.*descent train --help/s,
    );
  });

  it('refuses a stray argument', () => {
    expect(() => parseFlags(spec, ['mnist'])).toThrow(/unexpected argument 'mnist'/);
  });
});
