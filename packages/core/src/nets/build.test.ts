import { describe, expect, it } from 'vitest';
import { JsBackend } from '../tensor/js-backend.js';
import type { ModelConfig } from '../train/config.js';
import { buildNet, ModelConfigError } from './build.js';
import { MultiLayerNet } from './multi-layer-net.js';
import { TwoLayerNet } from './two-layer-net.js';

const backend = new JsBackend();
const seedModel: ModelConfig = {
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

describe('buildNet', () => {
  it("builds the seed's TwoLayerNet, the same as constructing it", () => {
    const net = buildNet(seedModel, backend, 42, 100);
    expect(net).toBeInstanceOf(TwoLayerNet);
    expect(net.maxRows).toBe(100);
    const direct = new TwoLayerNet(backend, {
      inputSize: 784,
      hiddenSize: 50,
      outputSize: 10,
      seed: 42,
      maxRows: 1,
    });
    expect(Array.from(net.params)).toEqual(Array.from(direct.params));
  });

  it('builds a MultiLayerNet with every option passed through', () => {
    const net = buildNet(
      {
        ...seedModel,
        kind: 'mlp',
        hidden: [20, 10],
        activation: 'relu',
        init: 'he',
        weightDecay: 0.01,
        dropout: 0.2,
        batchNorm: true,
      },
      backend,
      1,
      8,
    );
    expect(net).toBeInstanceOf(MultiLayerNet);
    const mlp = net as MultiLayerNet;
    expect([mlp.hiddenSizes, mlp.activation, mlp.init, mlp.weightDecay, mlp.dropout, mlp.batchNorm]).toEqual([
      [20, 10],
      'relu',
      'he',
      0.01,
      0.2,
      true,
    ]);
  });

  it('rejects a two-layer config that asks for what TwoLayerNet is not', () => {
    const build = () => buildNet({ ...seedModel, hidden: [50, 50], init: 'he', dropout: 0.5 }, backend, 1, 1);
    expect(build).toThrow(ModelConfigError);
    expect(build).toThrow(/exactly one size.*init must be 'std'.*dropout must be 0.*use kind 'mlp'/);
    expect(() => buildNet({ ...seedModel, kind: 'cnn' as 'mlp' }, backend, 1, 1)).toThrow(
      /valid kinds are two-layer, mlp/,
    );
  });
});
