import { buildNet, createBackend, type ModelConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { resolveExchange } from './training-state.js';

const seed: ModelConfig = {
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
};
const net = (model: ModelConfig) => buildNet(model, createBackend('js'), 1, 1);

describe('resolveExchange', () => {
  it('picks factors on auto when a worker’s update is smaller than the parameters: a batch below the inputs', () => {
    // 100 × 51 + 510 values against 39,760; 1000 × 51 + 510 against 39,760.
    expect(resolveExchange('auto', net(seed), 100, 'f32')).toBe('factors');
    expect(resolveExchange('auto', net(seed), 1000, 'f32')).toBe('params');
    expect(resolveExchange('factors', net(seed), 1000, 'f32')).toBe('factors');
    expect(resolveExchange('params', net(seed), 100, 'f32')).toBe('params');
  });

  it('sends parameters on auto where factors cannot go, and refuses to force them, saying why', () => {
    const dropout = net({ ...seed, kind: 'mlp', init: 'he', dropout: 0.5 });
    expect(resolveExchange('auto', dropout, 100, 'f32')).toBe('params');
    expect(() => resolveExchange('factors', dropout, 100, 'f32')).toThrow(
      /exchange 'factors' is not possible here: the net has layers \(dropout, batch norm\)/,
    );
    expect(resolveExchange('auto', net(seed), 100, 'bf16')).toBe('params');
    expect(() => resolveExchange('factors', net(seed), 100, 'bf16')).toThrow(/the bf16 wire/);
  });
});
