import { describe, expect, it } from 'vitest';
import { Sgd } from '../optim/sgd.js';
import { expectArraysClose, expectBitwiseEqual } from '../optim/test-close.js';
import { Rng } from '../rng.js';
import { applyStep, l2Penalty } from './apply.js';
import { smallNet } from './test-fixtures.js';

function randomSum(length: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length }, () => rng.nextFloat() * 20 - 10);
}

describe('applyStep', () => {
  it('divides the summed gradient by the batch size and applies the optimizer: W ← W − lr·Σg/B', () => {
    const net = smallNet();
    const before = net.params.slice();
    const gradSum = randomSum(net.params.length, 1);
    applyStep(net, new Sgd(net.params.length, { lr: 0.5 }), gradSum, net.statsSum, 8);
    const byHand = before.map((w, i) => Math.fround(w - 0.5 * Math.fround(gradSum[i] / 8)));
    expectBitwiseEqual(net.params, byHand);
  });

  it('adds λ·W to the gradient of weights but not of biases', () => {
    const lambda = 0.1;
    const net = smallNet({ weightDecay: lambda });
    const before = net.params.slice();
    const gradSum = randomSum(net.params.length, 2);
    applyStep(net, new Sgd(net.params.length, { lr: 1 }), gradSum, net.statsSum, 4);
    const expected = new Float32Array(before.length);
    for (const spec of net.specs) {
      for (let i = spec.offset; i < spec.offset + spec.length; i++) {
        const g = gradSum[i] / 4 + (spec.decay ? lambda * before[i] : 0);
        expected[i] = before[i] - g;
      }
    }
    expectArraysClose(net.params, expected, 1e-5);
    const bias = net.specs.find((s) => !s.decay)!;
    const i = bias.offset;
    expect(net.params[i]).toBe(Math.fround(before[i] - Math.fround(gradSum[i] / 4)));
  });

  it('moves the batch-norm running statistics by the step statistics sum over B', () => {
    const net = smallNet({ batchNorm: true });
    const twin = smallNet({ batchNorm: true });
    expect(net.stats.length).toBeGreaterThan(0);
    const statsSum = randomSum(net.stats.length, 3).map(Math.abs);
    applyStep(net, new Sgd(net.params.length), new Float32Array(net.params.length), statsSum, 10);
    twin.updateStats(statsSum, 10);
    expectBitwiseEqual(net.stats, twin.stats);
  });

  it('leaves the gradient sum it was given untouched', () => {
    const net = smallNet();
    const gradSum = randomSum(net.params.length, 4);
    const copy = gradSum.slice();
    applyStep(net, new Sgd(net.params.length), gradSum, net.statsSum, 3);
    expectBitwiseEqual(gradSum, copy);
  });

  it('refuses sums sized for another net and a batch size below one', () => {
    const net = smallNet();
    const sgd = new Sgd(net.params.length);
    expect(() => applyStep(net, sgd, new Float32Array(3), net.statsSum, 4)).toThrow(
      expect.objectContaining({ code: 'ERR_APPLY_STEP' }),
    );
    expect(() => applyStep(net, sgd, new Float32Array(net.params.length), net.statsSum, 0)).toThrow(
      expect.objectContaining({ code: 'ERR_APPLY_STEP' }),
    );
  });
});

describe('l2Penalty', () => {
  it('is λ/2 times the sum of squared weights, biases left out', () => {
    const net = smallNet({ weightDecay: 0.2 });
    let squares = 0;
    for (const spec of net.specs.filter((s) => s.decay)) {
      for (let i = spec.offset; i < spec.offset + spec.length; i++) squares += net.params[i] ** 2;
    }
    net.params.fill(3, net.specs[1].offset, net.specs[1].offset + net.specs[1].length);
    expect(net.specs[1].decay).toBe(false);
    expect(l2Penalty(net)).toBeCloseTo(0.1 * squares, 10);
  });

  it('is zero without weight decay', () => {
    expect(l2Penalty(smallNet())).toBe(0);
  });
});
