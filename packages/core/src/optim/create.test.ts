import { describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../train/config.js';
import { Adam } from './adam.js';
import { createOptimizer } from './create.js';
import { Momentum } from './momentum.js';
import { RmsProp } from './rmsprop.js';

const BASE: OptimizerConfig = {
  name: 'sgd',
  lr: 0.1,
  momentum: 0.9,
  decayRate: 0.99,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-7,
};

describe('createOptimizer', () => {
  it('builds the named rule with the config hyper-parameters it uses', () => {
    expect(createOptimizer({ ...BASE, name: 'momentum', momentum: 0.5 }, 4)).toMatchObject({
      name: 'momentum',
      lr: 0.1,
      momentum: 0.5,
    });
    expect(createOptimizer({ ...BASE, name: 'rmsprop', decayRate: 0.9 }, 4)).toBeInstanceOf(RmsProp);
    expect(createOptimizer({ ...BASE, name: 'nesterov' }, 4).name).toBe('nesterov');
    expect(createOptimizer({ ...BASE, name: 'adam', beta2: 0.99 }, 4)).toEqual(
      new Adam(4, { lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-7 }),
    );
    expect(createOptimizer({ ...BASE, name: 'momentum' }, 4)).toBeInstanceOf(Momentum);
  });

  it('ignores hyper-parameters the rule does not use', () => {
    expect(() => createOptimizer({ ...BASE, name: 'sgd', momentum: 7, beta1: -1 }, 4)).not.toThrow();
  });

  it.each([
    ['a learning rate of zero', { name: 'sgd', lr: 0 }, 'lr'],
    ['a negative learning rate', { name: 'adam', lr: -0.001 }, 'lr'],
    ['a NaN learning rate', { name: 'adagrad', lr: Number.NaN }, 'lr'],
    ['momentum of 1', { name: 'momentum', momentum: 1 }, 'momentum'],
    ['negative nesterov momentum', { name: 'nesterov', momentum: -0.1 }, 'momentum'],
    ['an rmsprop decay rate above 1', { name: 'rmsprop', decayRate: 1.5 }, 'decayRate'],
    ['adam beta1 of 1', { name: 'adam', beta1: 1 }, 'beta1'],
    ['adam beta2 of Infinity', { name: 'adam', beta2: Number.POSITIVE_INFINITY }, 'beta2'],
    ['adam eps of zero', { name: 'adam', eps: 0 }, 'eps'],
  ] as const)('rejects %s, naming the hyper-parameter', (_, override, field) => {
    const config = { ...BASE, ...override } as OptimizerConfig;
    expect(() => createOptimizer(config, 4)).toThrow(
      expect.objectContaining({
        code: 'ERR_OPTIMIZER_HYPERPARAMETER',
        message: expect.stringContaining(field),
      }),
    );
  });

  it('rejects an unknown optimizer name and lists the known ones', () => {
    const config = { ...BASE, name: 'adadelta' } as unknown as OptimizerConfig;
    expect(() => createOptimizer(config, 4)).toThrow(
      expect.objectContaining({ code: 'ERR_OPTIMIZER_UNKNOWN', message: expect.stringContaining('rmsprop') }),
    );
  });

  it('rejects a parameter count that is not a positive integer', () => {
    expect(() => createOptimizer(BASE, 0)).toThrow(expect.objectContaining({ code: 'ERR_OPTIMIZER_SIZE' }));
    expect(() => createOptimizer(BASE, 2.5)).toThrow(expect.objectContaining({ code: 'ERR_OPTIMIZER_SIZE' }));
  });
});
