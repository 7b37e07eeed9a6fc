import { describe, expect, it } from 'vitest';
import { expectArraysClose, expectBitwiseEqual } from '../optim/test-close.js';
import { Rng } from '../rng.js';
import { ShardComputer } from './shard-computer.js';
import { shardRanges } from './shards.js';
import { smallNet, syntheticDataset } from './test-fixtures.js';

const data = syntheticDataset(40, 1);
const ranges = shardRanges(16, 4);

describe('ShardComputer', () => {
  it('computes the net gradient sum over exactly the shard rows, pixels scaled to [0, 1]', () => {
    const net = smallNet();
    const computer = new ShardComputer(net, data, 5, ranges);
    const indices = Int32Array.of(3, 17, 3, 38, 0);
    const out = computer.computeGradient(2, 1, indices);
    const got = { grad: out.grad.slice(), lossSum: out.lossSum, correct: out.correct, rows: out.rows };

    const x = new Float32Array(indices.length * data.features);
    const labels = new Int32Array(indices.length);
    indices.forEach((row, r) => {
      for (let j = 0; j < data.features; j++)
        x[r * data.features + j] = data.images[row * data.features + j] / 255;
      labels[r] = data.labels[row];
    });
    const byHand = net.gradientSum(x, labels, indices.length, Rng.derive(5, 2, 1));
    expectBitwiseEqual(got.grad, net.grads);
    expect(got).toMatchObject({ lossSum: byHand.lossSum, correct: byHand.correct, rows: 5 });
  });

  it('returns sums, not means: two halves add up to the whole', () => {
    const computer = new ShardComputer(smallNet(), data, 5, ranges);
    const indices = Int32Array.from({ length: 16 }, (_, i) => (i * 7) % 40);
    const whole = computer.computeGradient(0, 0, indices).grad.slice();
    const first = computer.computeGradient(0, 0, indices.subarray(0, 8)).grad.slice();
    const second = computer.computeGradient(0, 0, indices.subarray(8)).grad;
    expectArraysClose(
      first.map((g, i) => g + second[i]),
      whole,
      1e-5,
    );
  });

  it('gives the same bytes for (step, shard) on another worker, and other dropout masks for another shard', () => {
    const indices = Int32Array.of(1, 2, 3, 4, 5, 6);
    const a = new ShardComputer(smallNet({ dropout: 0.5 }), data, 9, ranges)
      .computeGradient(4, 2, indices)
      .grad.slice();
    const b = new ShardComputer(smallNet({ dropout: 0.5 }), data, 9, ranges)
      .computeGradient(4, 2, indices)
      .grad.slice();
    const c = new ShardComputer(smallNet({ dropout: 0.5 }), data, 9, ranges)
      .computeGradient(4, 3, indices)
      .grad.slice();
    expectBitwiseEqual(a, b);
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('evaluates a range in chunks of maxRows with the same counts as one call', () => {
    const chunked = new ShardComputer(smallNet({ maxRows: 7 }), data, 1, ranges).evaluate(data, 3, 40);
    const whole = new ShardComputer(smallNet({ maxRows: 40 }), data, 1, ranges).evaluate(data, 3, 40);
    expect(chunked.rows).toBe(37);
    expect(chunked.correct).toBe(whole.correct);
    expect(chunked.lossSum).toBeCloseTo(whole.lossSum, 3);
  });

  it('refuses a shard larger than maxRows, an empty shard and a negative step', () => {
    const computer = new ShardComputer(smallNet({ maxRows: 4 }), data, 1, ranges);
    for (const [step, indices] of [
      [0, new Int32Array(5)],
      [0, new Int32Array(0)],
    ] as const) {
      expect(() => computer.computeGradient(step, 0, indices)).toThrow(
        expect.objectContaining({ code: 'ERR_SHARD_ROWS' }),
      );
    }
    expect(() => computer.computeGradient(-1, 0, new Int32Array(2))).toThrow(
      expect.objectContaining({ code: 'ERR_SHARD_ID' }),
    );
  });

  it('refuses a range of shards that is not a tree node, and indices that do not match its rows', () => {
    const computer = new ShardComputer(smallNet(), data, 1, ranges);
    expect(() => computer.computeNode(0, 1, 3, new Int32Array(8))).toThrow(
      expect.objectContaining({ code: 'ERR_SHARD_NODE' }),
    );
    expect(() => computer.computeNode(0, 0, 2, new Int32Array(7))).toThrow(
      expect.objectContaining({ code: 'ERR_SHARD_ROWS' }),
    );
    expect(computer.computeNode(0, 2, 4, new Int32Array(8)).rows).toBe(8);
  });

  it('refuses a data set whose images do not fit the net', () => {
    const wide = { ...data, features: 13 };
    expect(() => new ShardComputer(smallNet(), wide, 1, ranges)).toThrow(
      expect.objectContaining({ code: 'ERR_SHARD_DATASET' }),
    );
    const computer = new ShardComputer(smallNet(), data, 1, ranges);
    expect(() => computer.evaluate({ ...data, classes: 4 })).toThrow(
      expect.objectContaining({ code: 'ERR_SHARD_DATASET' }),
    );
    expect(() => computer.evaluate(data, 10, 41)).toThrow(
      expect.objectContaining({ code: 'ERR_SHARD_ROWS' }),
    );
  });
});
