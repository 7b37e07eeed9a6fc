import { createBackend, MultiLayerNet, TwoLayerNet } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { resolveExchange } from './training-state.js';

/** The seed's net, 784-50-10: 39,760 parameters, 39,200 of them the first layer's weights. */
const seed = () =>
  new TwoLayerNet(createBackend('js'), {
    inputSize: 784,
    hiddenSize: 50,
    outputSize: 10,
    seed: 1,
    maxRows: 1,
  });

describe('resolveExchange', () => {
  it('picks factors on auto when a worker’s update is smaller than the parameters: a batch below the inputs', () => {
    // 100 × 51 + 560 values against 39,760; 1000 × 51 + 560 against 39,760.
    expect(resolveExchange('auto', seed(), 100, 'f32')).toBe('factors');
    expect(resolveExchange('auto', seed(), 1000, 'f32')).toBe('params');
    expect(resolveExchange('factors', seed(), 1000, 'f32')).toBe('factors');
    expect(resolveExchange('params', seed(), 100, 'f32')).toBe('params');
  });

  it('sends parameters on auto where factors cannot go, and refuses to force them, saying why', () => {
    const dropout = new MultiLayerNet(createBackend('js'), {
      inputSize: 784,
      hiddenSizes: [50],
      outputSize: 10,
      dropout: 0.5,
      seed: 1,
      maxRows: 1,
    });
    expect(resolveExchange('auto', dropout, 100, 'f32')).toBe('params');
    expect(() => resolveExchange('factors', dropout, 100, 'f32')).toThrow(
      /exchange 'factors' is not possible here: the net has layers \(dropout, batch norm\)/,
    );
    expect(resolveExchange('auto', seed(), 100, 'bf16')).toBe('params');
    expect(() => resolveExchange('factors', seed(), 100, 'bf16')).toThrow(/the bf16 wire/);
  });
});
