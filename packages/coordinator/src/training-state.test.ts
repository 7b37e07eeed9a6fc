import { createBackend, MultiLayerNet, TwoLayerNet } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { tinyConfig, tinyData } from './test-helpers.js';
import { resolveExchange, TrainingState } from './training-state.js';

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

describe('TrainingState batches', () => {
  const state = () =>
    new TrainingState(tinyConfig({ batch: 12, shards: 4 }), 'js', tinyData().train, 4, 'auto', 'f32');

  it('draws up to two steps ahead in order, and after abandoning them draws the same batches again', () => {
    const ahead = state();
    const first = ahead.drawBatch(0).slice();
    const second = ahead.drawBatch(1).slice();
    const third = ahead.drawBatch(2).slice();
    expect(ahead.drawBatch(1)).toEqual(second);
    expect(() => ahead.drawBatch(3)).toThrow(/cannot draw the batch of step 3: the parameters are at step 0/);
    const plain = state();
    expect([0, 1, 2].map((step) => plain.drawBatch(step).slice())).toEqual([first, second, third]);
    ahead.abandonStep();
    expect([0, 1, 2].map((step) => ahead.drawBatch(step).slice())).toEqual([first, second, third]);
  });

  it('stages the next drawn batch for its replay, and applies the step it lists with the bits of an unstaged one', () => {
    const [staged, plain] = [state(), state()];
    expect(staged.exchange).toBe('factors');
    for (let step = 0; step < 3; step++) {
      for (const s of [staged, plain]) {
        s.drawBatch(step);
        s.drawBatch(step + 1);
        s.replay!.factor.fill(0.25 - step / 8);
        s.accept(0, 4, {
          grad: new Float32Array(s.replay!.restLength),
          stats: new Float32Array(0),
          lossSum: 1,
          correct: 0,
          rows: 12,
        });
        s.update();
      }
      staged.stageNext();
      expect(staged.version).toBe(plain.version);
      expect(staged.net.params).toEqual(plain.net.params);
    }
  });
});
