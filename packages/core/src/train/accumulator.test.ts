import { describe, expect, it } from 'vitest';
import { expectBitwiseEqual } from '../optim/test-close.js';
import { Rng } from '../rng.js';
import { JsBackend } from '../tensor/js-backend.js';
import { WasmBackend } from '../tensor/wasm-backend.js';
import { StepAccumulator } from './accumulator.js';

interface ShardResult {
  grad: Float32Array;
  stats: Float32Array;
  lossSum: number;
  correct: number;
  rows: number;
}

const P = 50;
const K = 6;
const S = 5;

/** Seeded results with magnitudes spread over many octaves, so a different summation order changes bits. */
function results(seed: number): ShardResult[] {
  const rng = new Rng(seed);
  const value = () => (rng.nextFloat() - 0.5) * 2 ** rng.nextInt(30);
  return Array.from({ length: S }, (_, s) => ({
    grad: Float32Array.from({ length: P }, value),
    stats: Float32Array.from({ length: K }, value),
    lossSum: value(),
    correct: s,
    rows: 10 + s,
  }));
}

function accumulate(all: ShardResult[], order: number[]): StepAccumulator {
  const acc = new StepAccumulator(P, K, S);
  for (const s of order) {
    const r = all[s];
    expect(acc.accept(s, s + 1, r.grad, r.stats, r.lossSum, r.correct, r.rows)).toBe(true);
  }
  return acc;
}

/** The tree over 5 shards written out longhand, each addition rounded to float32: ((0+1)+(2+3))+4. */
function sumByHand(all: ShardResult[], pick: (r: ShardResult) => Float32Array): Float32Array {
  const [a, b, c, d, e] = all.map(pick);
  return a.map((_, i) =>
    Math.fround(Math.fround(Math.fround(a[i] + b[i]) + Math.fround(c[i] + d[i])) + e[i]),
  );
}

/** The node [first, end) summed by hand along the same tree, as a worker would send it. */
function node(all: ShardResult[], first: number, end: number): ShardResult {
  const part = new StepAccumulator(P, K, end - first);
  all.slice(first, end).forEach((r, i) => {
    part.accept(i, i + 1, r.grad, r.stats, r.lossSum, r.correct, r.rows);
  });
  const sums = part.result();
  return {
    grad: sums.gradSum.slice(),
    stats: sums.statsSum.slice(),
    lossSum: sums.lossSum,
    correct: sums.correct,
    rows: sums.rows,
  };
}

describe('StepAccumulator', () => {
  it('sums along the pairwise tree whatever the arrival order: in order, reversed and shuffled give the same bits', () => {
    const all = results(1);
    const expectedGrad = sumByHand(all, (r) => r.grad);
    const expectedStats = sumByHand(all, (r) => r.stats);
    const [l0, l1, l2, l3, l4] = all.map((r) => r.lossSum);
    const expectedLoss = l0 + l1 + (l2 + l3) + l4;
    for (const order of [
      [0, 1, 2, 3, 4],
      [4, 3, 2, 1, 0],
      [2, 0, 4, 1, 3],
      [1, 3, 0, 4, 2],
    ]) {
      const sums = accumulate(all, order).result();
      expectBitwiseEqual(sums.gradSum, expectedGrad);
      expectBitwiseEqual(sums.statsSum, expectedStats);
      expect(sums.lossSum).toBe(expectedLoss);
      expect(sums.correct).toBe(0 + 1 + 2 + 3 + 4);
      expect(sums.rows).toBe(10 + 11 + 12 + 13 + 14);
    }
  });

  it('gives the same bits for shards grouped into tree nodes, as workers holding several shards send them', () => {
    const all = results(9);
    const expected = sumByHand(all, (r) => r.grad);
    for (const nodes of [
      [
        [0, 4],
        [4, 5],
      ],
      [
        [4, 5],
        [2, 4],
        [0, 2],
      ],
      [[0, 5]],
      [
        [1, 2],
        [0, 1],
        [4, 5],
        [2, 3],
        [3, 4],
      ],
    ]) {
      const acc = new StepAccumulator(P, K, S);
      for (const [first, end] of nodes) {
        const r = node(all, first, end);
        expect(acc.accept(first, end, r.grad, r.stats, r.lossSum, r.correct, r.rows)).toBe(true);
      }
      expectBitwiseEqual(acc.result().gradSum, expected);
      expect(acc.result().rows).toBe(60);
    }
  });

  it('refuses a range that is not a node of the tree, or overlaps one already accepted', () => {
    const all = results(10);
    const acc = new StepAccumulator(P, K, S);
    const r = node(all, 0, 2);
    expect(acc.accept(1, 3, r.grad, r.stats, r.lossSum, r.correct, r.rows)).toBe(false);
    expect(acc.accept(0, 3, r.grad, r.stats, r.lossSum, r.correct, r.rows)).toBe(false);
    expect(acc.accept(0, 2, r.grad, r.stats, r.lossSum, r.correct, r.rows)).toBe(true);
    const whole = node(all, 0, 4);
    expect(acc.accept(0, 4, whole.grad, whole.stats, whole.lossSum, whole.correct, whole.rows)).toBe(false);
    expect(acc.accept(1, 2, all[1].grad, all[1].stats, 0, 0, 1)).toBe(false);
    expect(acc.missing()).toEqual([2, 3, 4]);
  });

  it('gives the same bits with its totals in a backend (js or wasm), foreign gradients included', () => {
    const all = results(3);
    const expectedGrad = sumByHand(all, (r) => r.grad);
    for (const backend of [new JsBackend(), new WasmBackend()]) {
      const acc = new StepAccumulator(P, K, S, backend);
      for (const s of [3, 0, 4, 1, 2]) {
        const r = all[s];
        acc.accept(s, s + 1, r.grad, r.stats, r.lossSum, r.correct, r.rows);
      }
      expectBitwiseEqual(acc.result().gradSum, expectedGrad);
      acc.dispose();
    }
  });

  it('keeps the order that matters: [1, 1e8, −1e8] sums to 0 in float32 even when −1e8 arrives first', () => {
    // The tree: fround(1 + 1e8) = 1e8 (the 1 is below half an ulp), then 1e8 − 1e8 = 0.
    // Arrival order 2, 1, 0 summed naively would give (−1e8 + 1e8) + 1 = 1.
    const acc = new StepAccumulator(1, 0, 3);
    const none = new Float32Array(0);
    acc.accept(2, 3, Float32Array.of(-1e8), none, 0, 0, 1);
    acc.accept(1, 2, Float32Array.of(1e8), none, 0, 0, 1);
    acc.accept(0, 1, Float32Array.of(1), none, 0, 0, 1);
    expect(acc.result().gradSum[0]).toBe(0);
  });

  it('refuses a duplicate shard and keeps the sum unchanged', () => {
    const all = results(2);
    const expected = accumulate(all, [0, 1, 2, 3, 4]).result().gradSum.slice();
    const acc = new StepAccumulator(P, K, S);
    const other = results(3)[0];
    acc.accept(0, 1, all[0].grad, all[0].stats, all[0].lossSum, all[0].correct, all[0].rows);
    acc.accept(3, 4, all[3].grad, all[3].stats, all[3].lossSum, all[3].correct, all[3].rows);
    expect(acc.accept(0, 1, other.grad, other.stats, 99, 0, 1)).toBe(false);
    expect(acc.accept(3, 4, other.grad, other.stats, 99, 0, 1)).toBe(false);
    for (const s of [1, 2, 4])
      acc.accept(s, s + 1, all[s].grad, all[s].stats, all[s].lossSum, all[s].correct, all[s].rows);
    expect(acc.accept(4, 5, other.grad, other.stats, 99, 0, 1)).toBe(false);
    const sums = acc.result();
    expectBitwiseEqual(sums.gradSum, expected);
    expect(sums.rows).toBe(60);
  });

  it('refuses shards outside [0, shards) and non-integer shard ids', () => {
    const acc = new StepAccumulator(P, K, S);
    const r = results(4)[0];
    for (const shard of [-1, S, 1.5, Number.NaN]) {
      expect(acc.accept(shard, shard + 1, r.grad, r.stats, r.lossSum, r.correct, r.rows)).toBe(false);
    }
    expect(acc.missing()).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports the shards still missing and completes only when all are in', () => {
    const all = results(5);
    const acc = new StepAccumulator(P, K, S);
    for (const s of [3, 1])
      acc.accept(s, s + 1, all[s].grad, all[s].stats, all[s].lossSum, all[s].correct, all[s].rows);
    expect(acc.missing()).toEqual([0, 2, 4]);
    expect(acc.complete).toBe(false);
    expect(() => acc.result()).toThrow(
      expect.objectContaining({
        code: 'ERR_ACCUMULATOR_INCOMPLETE',
        message: expect.stringContaining('0, 2, 4'),
      }),
    );
  });

  it('copies an early result, so the caller may overwrite its buffer at once', () => {
    const all = results(6);
    const expected = accumulate(all, [0, 1, 2, 3, 4]).result().gradSum.slice();
    const acc = new StepAccumulator(P, K, S);
    const scratch = new Float32Array(P);
    for (const s of [4, 2, 0, 3, 1]) {
      scratch.set(all[s].grad);
      acc.accept(s, s + 1, scratch, all[s].stats, all[s].lossSum, all[s].correct, all[s].rows);
      scratch.fill(12345);
    }
    expectBitwiseEqual(acc.result().gradSum, expected);
  });

  it('starts from zero again after reset and gives the same sum for the same results', () => {
    const all = results(7);
    const acc = accumulate(all, [3, 4, 0, 2, 1]);
    const first = acc.result().gradSum.slice();
    acc.reset();
    expect(acc.missing()).toEqual([0, 1, 2, 3, 4]);
    for (const s of [1, 4, 2, 3, 0])
      acc.accept(s, s + 1, all[s].grad, all[s].stats, all[s].lossSum, all[s].correct, all[s].rows);
    expectBitwiseEqual(acc.result().gradSum, first);
  });

  it('throws for a gradient of the wrong size or impossible counts, which are bugs upstream', () => {
    const acc = new StepAccumulator(P, K, S);
    const r = results(8)[0];
    expect(() => acc.accept(0, 1, new Float32Array(P - 1), r.stats, 0, 0, 1)).toThrow(
      expect.objectContaining({ code: 'ERR_ACCUMULATOR_SIZE' }),
    );
    expect(() => acc.accept(0, 1, r.grad, r.stats, 0, 5, 4)).toThrow(
      expect.objectContaining({ code: 'ERR_ACCUMULATOR_RESULT' }),
    );
    expect(() => acc.accept(0, 1, r.grad, r.stats, 0, 0, 0)).toThrow(
      expect.objectContaining({ code: 'ERR_ACCUMULATOR_RESULT' }),
    );
    expect(acc.missing()).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses to be built with no parameters or no shards', () => {
    expect(() => new StepAccumulator(0, 0, 1)).toThrow(
      expect.objectContaining({ code: 'ERR_ACCUMULATOR_SIZE' }),
    );
    expect(() => new StepAccumulator(3, 0, 0)).toThrow(
      expect.objectContaining({ code: 'ERR_ACCUMULATOR_SIZE' }),
    );
  });
});
