import { describe, expect, it } from 'vitest';
import { formatGradcheck, gradcheck } from '../gradcheck/gradcheck.js';
import { expectArraysClose } from '../gradcheck/test-util.js';
import { Affine } from '../layers/affine.js';
import { Relu } from '../layers/relu.js';
import { Sigmoid } from '../layers/sigmoid.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { gaussianBlobs, rowsOf } from './test-data.js';
import { TwoLayerNet } from './two-layer-net.js';

const backend = new JsBackend();

function meanAndStd(values: Float32Array): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

describe('TwoLayerNet', () => {
  it("lays out W1, b1, W2, b2 contiguously, as the book's two_layer_net", () => {
    const net = new TwoLayerNet(backend, {
      inputSize: 784,
      hiddenSize: 50,
      outputSize: 10,
      seed: 1,
      maxRows: 100,
    });
    expect(net.specs).toEqual([
      { name: 'W1', shape: [784, 50], offset: 0, length: 39_200, decay: true },
      { name: 'b1', shape: [50], offset: 39_200, length: 50, decay: false },
      { name: 'W2', shape: [50, 10], offset: 39_250, length: 500, decay: true },
      { name: 'b2', shape: [10], offset: 39_750, length: 10, decay: false },
    ]);
    expect(net.params.length).toBe(39_760);
    expect(net.grads.length).toBe(39_760);
    expect(net.stats.length).toBe(0);
    expect(net.statsSum.length).toBe(0);
    expect(net.weightDecay).toBe(0);
    expect(net.layers.map((l) => l.constructor)).toEqual([Affine, Relu, Affine]);
  });

  it("takes chapter 4's sigmoid instead of ReLU when asked", () => {
    const net = new TwoLayerNet(backend, {
      inputSize: 4,
      hiddenSize: 3,
      outputSize: 2,
      seed: 1,
      maxRows: 2,
      activation: 'sigmoid',
    });
    expect(net.layers.map((l) => l.constructor)).toEqual([Affine, Sigmoid, Affine]);
  });

  it('starts with weights 0.01·N(0, 1) and zero biases', () => {
    const net = new TwoLayerNet(backend, {
      inputSize: 784,
      hiddenSize: 50,
      outputSize: 10,
      seed: 42,
      maxRows: 1,
    });
    const [W1, b1, W2, b2] = net.specs.map((s) => net.params.subarray(s.offset, s.offset + s.length));
    const w1 = meanAndStd(W1);
    // 39,200 draws: the sample std is within ~0.4% of 0.01 (3σ), the mean within ~1.5e-4.
    expect(Math.abs(w1.mean)).toBeLessThan(1.5e-4);
    expect(w1.std).toBeGreaterThan(0.0098);
    expect(w1.std).toBeLessThan(0.0102);
    const w2 = meanAndStd(W2);
    expect(w2.std).toBeGreaterThan(0.0085);
    expect(w2.std).toBeLessThan(0.0115);
    expect(b1.every((v) => v === 0) && b2.every((v) => v === 0)).toBe(true);
  });

  it('draws its init from new Rng(seed).nextGaussian() in spec order, so a seed fixes every bit', () => {
    const options = { inputSize: 6, hiddenSize: 4, outputSize: 3, initStd: 0.5, maxRows: 2 };
    const a = new TwoLayerNet(backend, { ...options, seed: 7 });
    const b = new TwoLayerNet(backend, { ...options, seed: 7 });
    const c = new TwoLayerNet(backend, { ...options, seed: 8 });
    expect(Buffer.from(a.params.buffer).equals(Buffer.from(b.params.buffer))).toBe(true);
    expect(Array.from(a.params)).not.toEqual(Array.from(c.params));
    const rng = new Rng(7);
    const W1 = Float32Array.from({ length: 24 }, () => 0.5 * rng.nextGaussian());
    const W2 = Float32Array.from({ length: 12 }, () => 0.5 * rng.nextGaussian());
    expect(Array.from(a.params)).toEqual([...W1, 0, 0, 0, 0, ...W2, 0, 0, 0]);
  });

  it.each([
    ['relu', (z: number) => Math.max(z, 0)],
    ['sigmoid', (z: number) => 1 / (1 + Math.exp(-z))],
  ] as const)('predict is %s(x·W1 + b1)·W2 + b2', (activation, f) => {
    const net = new TwoLayerNet(backend, {
      inputSize: 5,
      hiddenSize: 3,
      outputSize: 2,
      initStd: 1,
      seed: 3,
      maxRows: 4,
      activation,
    });
    net.params.subarray(15, 18).set([0.1, -0.2, 0.3]);
    net.params.subarray(24, 26).set([0.5, -0.5]);
    const x = Float32Array.from({ length: 10 }, (_, i) => (i - 4) / 3);
    const p = net.params;
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) {
      const hidden = [0, 1, 2].map((j) => {
        let z = p[15 + j];
        for (let i = 0; i < 5; i++) z += x[r * 5 + i] * p[i * 3 + j];
        return f(z);
      });
      for (let k = 0; k < 2; k++)
        expected.push(p[24 + k] + hidden.reduce((s, h, j) => s + h * p[18 + j * 2 + k], 0));
    }
    expectArraysClose(net.predict(x, 2, 'eval').subarray(0, 4), expected);
  });

  it('gradientSum is the sum of per-sample gradients (what micro-shards add up)', () => {
    const data = gaussianBlobs(4, 5, 3, 1);
    const net = new TwoLayerNet(backend, {
      inputSize: 5,
      hiddenSize: 4,
      outputSize: 3,
      initStd: 0.5,
      seed: 2,
      maxRows: 4,
    });
    const whole = net.gradientSum(data.x, data.labels, 4, new Rng(0));
    const wholeGrads = Float32Array.from(net.grads);
    const summed = new Float64Array(net.grads.length);
    let lossSum = 0;
    let correct = 0;
    for (let r = 0; r < 4; r++) {
      const one = rowsOf(data, 5, r, 1);
      const outcome = net.gradientSum(one.x, one.labels, 1, new Rng(0));
      lossSum += outcome.lossSum;
      correct += outcome.correct;
      net.grads.forEach((g, i) => {
        summed[i] += g;
      });
    }
    expect(whole.lossSum).toBeCloseTo(lossSum, 5);
    expect(whole.correct).toBe(correct);
    expectArraysClose(wholeGrads, summed, { rtol: 1e-5, atol: 1e-7 });
    expect(net.evaluate(data.x, data.labels, 4)).toEqual(whole);
  });

  it('passes gradcheck', () => {
    const data = gaussianBlobs(6, 5, 4, 3);
    const net = new TwoLayerNet(backend, {
      inputSize: 5,
      hiddenSize: 7,
      outputSize: 4,
      initStd: 0.5,
      seed: 4,
      maxRows: 8,
    });
    const report = gradcheck(net, data.x, data.labels, 6);
    expect(report.ok, formatGradcheck(report)).toBe(true);
  });

  it('refuses more rows than maxRows, and too short an input', () => {
    const net = new TwoLayerNet(backend, { inputSize: 3, hiddenSize: 2, outputSize: 2, seed: 0, maxRows: 2 });
    expect(() => net.predict(new Float32Array(9), 3, 'eval')).toThrow(
      /\[1, 2\] \(the net's maxRows\), got 3/,
    );
    expect(() => net.predict(new Float32Array(5), 2, 'eval')).toThrow(/fewer than rows × inputSize = 6/);
    expect(
      () => new TwoLayerNet(backend, { inputSize: 3, hiddenSize: 0, outputSize: 2, seed: 0, maxRows: 2 }),
    ).toThrow(/hiddenSize must be a positive integer/);
  });

  it('computes with shared parameters as they are, and leaves them to their owner on dispose', () => {
    const shape = { inputSize: 3, hiddenSize: 2, outputSize: 2, maxRows: 2 };
    const owner = new TwoLayerNet(backend, { ...shape, seed: 1 });
    const sharing = new TwoLayerNet(backend, { ...shape, seed: 2, sharedParams: owner.params });
    expect(sharing.params).toBe(owner.params);
    const x = Float32Array.of(0.5, -1, 2, 1, 0, -0.5);
    const labels = Int32Array.of(1, 0);
    owner.gradientSum(x, labels, 2, new Rng(0));
    sharing.gradientSum(x, labels, 2, new Rng(0));
    expect([...sharing.grads]).toEqual([...owner.grads]);
    sharing.dispose();
    // Had the sharing net freed them, the owner's own free would now fail.
    expect(() => owner.dispose()).not.toThrow();
    expect(() => backend.free(owner.params)).toThrow(/already freed/);
  });

  it('refuses shared parameters of another size', () => {
    const sharedParams = backend.alloc(5);
    expect(
      () =>
        new TwoLayerNet(backend, {
          inputSize: 3,
          hiddenSize: 2,
          outputSize: 2,
          seed: 0,
          maxRows: 2,
          sharedParams,
        }),
    ).toThrow(/sharedParams holds 5 values, but this net has 14 parameters/);
  });

  it('gives every buffer back on dispose', () => {
    const net = new TwoLayerNet(backend, { inputSize: 3, hiddenSize: 2, outputSize: 2, seed: 0, maxRows: 2 });
    net.dispose();
    expect(() => backend.free(net.params)).toThrow(/already freed/);
  });
});
