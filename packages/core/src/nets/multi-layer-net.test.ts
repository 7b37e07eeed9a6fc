import { describe, expect, it } from 'vitest';
import { formatGradcheck, gradcheck } from '../gradcheck/gradcheck.js';
import { expectArraysClose } from '../gradcheck/test-util.js';
import { Affine } from '../layers/affine.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { Dropout } from '../layers/dropout.js';
import type { Layer } from '../layers/layer.js';
import { Relu } from '../layers/relu.js';
import { Sigmoid } from '../layers/sigmoid.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { WasmBackend } from '../tensor/wasm-backend.js';
import { MultiLayerNet, type MultiLayerNetOptions } from './multi-layer-net.js';
import { gaussianBlobs } from './test-data.js';

const backend = new JsBackend();
const data = gaussianBlobs(6, 5, 4, 11);
const small = { inputSize: 5, hiddenSizes: [7, 6], outputSize: 4, seed: 3, maxRows: 8 };

/** A small net with biases and batch-norm shifts moved off 0, so no ReLU sits exactly on its kink. */
function smallNet(options: Partial<MultiLayerNetOptions> = {}): MultiLayerNet {
  const net = new MultiLayerNet(backend, { ...small, ...options });
  const rng = new Rng(5);
  for (const spec of net.specs) {
    if (spec.name.startsWith('b') || spec.name.startsWith('beta')) {
      for (let i = 0; i < spec.length; i++) net.params[spec.offset + i] = 0.1 * rng.nextGaussian();
    }
  }
  return net;
}

function stdOf(values: Float32Array): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

describe('MultiLayerNet layout', () => {
  it('with every option: Affine – BatchNorm – activation – Dropout per hidden layer, then Affine', () => {
    const net = new MultiLayerNet(backend, {
      ...small,
      batchNorm: true,
      dropout: 0.5,
      activation: 'sigmoid',
    });
    expect(net.layers.map((l) => l.constructor)).toEqual([
      ...[Affine, BatchNorm, Sigmoid, Dropout],
      ...[Affine, BatchNorm, Sigmoid, Dropout],
      Affine,
    ]);
    expect(
      net.specs.map((s) => `${s.name}:${s.shape.join('x')}@${s.offset}${s.decay ? '+decay' : ''}`),
    ).toEqual([
      'W1:5x7@0+decay',
      'b1:7@35',
      'gamma1:7@42',
      'beta1:7@49',
      'W2:7x6@56+decay',
      'b2:6@98',
      'gamma2:6@104',
      'beta2:6@110',
      'W3:6x4@116+decay',
      'b3:4@140',
    ]);
    expect(net.params.length).toBe(144);
    expect(net.statSpecs.map((s) => `${s.name}@${s.offset}`)).toEqual([
      'mean1@0',
      'var1@7',
      'mean2@14',
      'var2@20',
    ]);
    expect(net.stats.length).toBe(26);
    const gamma1 = net.specs[2];
    expect(net.params.subarray(gamma1.offset, gamma1.offset + gamma1.length).every((v) => v === 1)).toBe(
      true,
    );
  });

  it('without options: Affine – Relu per hidden layer; no hidden layer is softmax regression', () => {
    const net = new MultiLayerNet(backend, small);
    expect(net.layers.map((l) => l.constructor)).toEqual([Affine, Relu, Affine, Relu, Affine]);
    expect(net.stats.length).toBe(0);
    const flat = new MultiLayerNet(backend, { ...small, hiddenSizes: [] });
    expect(flat.specs.map((s) => s.name)).toEqual(['W1', 'b1']);
    const report = gradcheck(flat, data.x, data.labels, 6);
    expect(report.ok, formatGradcheck(report)).toBe(true);
  });

  it.each([
    ['he', Math.sqrt(2 / 400), Math.sqrt(2 / 300)],
    ['xavier', Math.sqrt(1 / 400), Math.sqrt(1 / 300)],
    ['std', 0.05, 0.05],
  ] as const)('init %s draws W with the book’s scale (fan-in 400, then 300)', (init, std1, std2) => {
    const net = new MultiLayerNet(backend, {
      inputSize: 400,
      hiddenSizes: [300],
      outputSize: 10,
      init,
      initStd: 0.05,
      seed: 1,
      maxRows: 1,
    });
    const [W1, , W2] = net.specs.map((s) => net.params.subarray(s.offset, s.offset + s.length));
    expect(stdOf(W1) / std1).toBeCloseTo(1, 1);
    expect(stdOf(W2) / std2).toBeCloseTo(1, 1);
  });

  it('is deterministic for a seed', () => {
    const a = new MultiLayerNet(backend, { ...small, batchNorm: true, seed: 9 });
    const b = new MultiLayerNet(backend, { ...small, batchNorm: true, seed: 9 });
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
  });

  it('rejects conflicting or out-of-range options', () => {
    expect(() => new MultiLayerNet(backend, { ...small, dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => new MultiLayerNet(backend, { ...small, hiddenSizes: [3, 0] })).toThrow(/hiddenSizes\[1\]/);
    expect(() => new MultiLayerNet(backend, { ...small, weightDecay: -1 })).toThrow(
      /weightDecay must be ≥ 0/,
    );
    expect(() => new MultiLayerNet(backend, { ...small, init: 'std', initStd: 0 })).toThrow(
      /initStd must be > 0/,
    );
  });
});

describe('MultiLayerNet gradients', () => {
  it.each<[string, Partial<MultiLayerNetOptions>]>([
    ['relu', {}],
    ['sigmoid, xavier', { activation: 'sigmoid', init: 'xavier' }],
    ['std init', { init: 'std', initStd: 0.3 }],
    ['weight decay', { weightDecay: 0.1 }],
    ['dropout', { dropout: 0.3 }],
    ['batch norm', { batchNorm: true }],
    ['everything', { batchNorm: true, dropout: 0.2, weightDecay: 0.05, activation: 'sigmoid' }],
    ['everything, relu', { batchNorm: true, dropout: 0.2, weightDecay: 0.05 }],
  ])('pass gradcheck: %s', (_, options) => {
    const report = gradcheck(smallNet(options), data.x, data.labels, 6);
    expect(report.ok, formatGradcheck(report)).toBe(true);
  });

  /** Replaces one layer's backward, as a bug would. */
  function breakLayer(
    net: MultiLayerNet,
    index: number,
    backward: (layer: Layer, dout: Float32Array, rows: number) => Float32Array,
  ) {
    const layer = net.layers[index];
    const original = layer.backward.bind(layer);
    layer.backward = (dout, rows) => backward(layer, original(dout, rows), rows);
  }

  it('fail gradcheck when a backward is wrong', () => {
    const wrongSign = smallNet();
    breakLayer(wrongSign, 1, (_, dx) => dx.map((v) => -v));
    const noBiasGrad = smallNet();
    breakLayer(noBiasGrad, 2, (layer, dx) => {
      (layer as Affine).db.fill(0);
      return dx;
    });
    const unmasked = smallNet({ dropout: 0.3 });
    unmasked.layers[2].backward = (dout) => dout;
    for (const [name, net, broken] of [
      ['relu sign', wrongSign, ['W1', 'b1']],
      ['affine bias', noBiasGrad, ['b2']],
      ['dropout mask', unmasked, ['W1', 'b1']],
    ] as const) {
      const report = gradcheck(net, data.x, data.labels, 6);
      expect(report.ok, name).toBe(false);
      const failed = report.tensors.filter((t) => !t.ok).map((t) => t.name);
      expect(failed, `${name}\n${formatGradcheck(report)}`).toEqual(expect.arrayContaining([...broken]));
    }
  });

  it('dropout masks come from the Rng given: same seed, same gradient', () => {
    const net = smallNet({ dropout: 0.5 });
    net.gradientSum(data.x, data.labels, 6, new Rng(1));
    const first = Array.from(net.grads);
    net.gradientSum(data.x, data.labels, 6, new Rng(1));
    expect(Array.from(net.grads)).toEqual(first);
    net.gradientSum(data.x, data.labels, 6, new Rng(2));
    expect(Array.from(net.grads)).not.toEqual(first);
    expect(net.evaluate(data.x, data.labels, 6)).toEqual(net.evaluate(data.x, data.labels, 6));
  });
});

describe('MultiLayerNet batch-norm statistics', () => {
  it('gradientSum writes rows·mean and rows·var of each batch-norm input into statsSum', () => {
    const net = smallNet({ batchNorm: true, hiddenSizes: [3] });
    net.statsSum.fill(99);
    net.gradientSum(data.x, data.labels, 6, new Rng(0));
    // The batch-norm input is x·W1 + b1, worked out here in double precision.
    const [W1, b1] = net.specs.map((s) => net.params.subarray(s.offset, s.offset + s.length));
    const z = Array.from({ length: 6 }, (_, r) =>
      [0, 1, 2].map(
        (j) => b1[j] + [0, 1, 2, 3, 4].reduce((s, i) => s + data.x[r * 5 + i] * W1[i * 3 + j], 0),
      ),
    );
    const sums = [0, 1, 2].map((j) => z.reduce((s, row) => s + row[j], 0));
    const sq = [0, 1, 2].map((j) => z.reduce((s, row) => s + (row[j] - sums[j] / 6) ** 2, 0));
    expectArraysClose(net.statsSum, [...sums, ...sq], { rtol: 1e-5, atol: 1e-5 });
  });

  it('updateStats moves the running averages; evaluate normalises with them', () => {
    const net = smallNet({ batchNorm: true });
    expect(net.stats.every((v) => v === 0)).toBe(true);
    net.gradientSum(data.x, data.labels, 6, new Rng(0));
    const statsSum = Float32Array.from(net.statsSum);
    const before = net.evaluate(data.x, data.labels, 6);
    net.updateStats(statsSum, 6);
    expectArraysClose(
      net.stats,
      statsSum.map((s) => 0.1 * (s / 6)),
    );
    expect(net.evaluate(data.x, data.labels, 6).lossSum).not.toBeCloseTo(before.lossSum, 3);
    // Many steps on the same batch: the running statistics converge to the batch's, so eval ≈ train.
    for (let i = 0; i < 200; i++) net.updateStats(statsSum, 6);
    const train = Float32Array.from(net.predict(data.x, 6, 'train').subarray(0, 24));
    expectArraysClose(net.predict(data.x, 6, 'eval').subarray(0, 24), train, { rtol: 1e-3, atol: 1e-3 });
  });
});

describe('MultiLayerNet.evaluateListed', () => {
  it('gives the loss and count of evaluate on the listed bytes scaled to floats, bitwise, on both backends', () => {
    const rng = new Rng(8);
    const rows = 8;
    const pixels = Uint8Array.from({ length: rows * 5 }, () => (rng.nextInt(3) === 0 ? 0 : rng.nextInt(256)));
    const labels = Int32Array.from({ length: rows }, () => rng.nextInt(4));
    for (const be of [backend, new WasmBackend()]) {
      for (const options of [{}, { batchNorm: true, dropout: 0.3 }]) {
        const net = new MultiLayerNet(be, { ...small, ...options });
        const words = be.allocInt32(rows * 2);
        const owned = new Uint8Array(words.buffer, words.byteOffset, pixels.length);
        owned.set(pixels);
        const x = be.alloc(pixels.length);
        be.unitBytes(owned, pixels.length, x);
        const fromFloats = net.evaluate(x, labels, rows);
        const list = be.createPixelList(rows, 5, net.firstWidth);
        be.listPixels(list, owned, rows);
        expect(net.evaluateListed(list, labels, rows)).toEqual(fromFloats);
      }
    }
  });
});
