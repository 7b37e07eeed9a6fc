import { describe, expect, it } from 'vitest';
import { expectArraysClose, uniform } from '../gradcheck/test-util.js';
import { Rng } from '../rng.js';
import { createBackend, UnknownBackendError } from './create.js';
import { JsBackend } from './js-backend.js';

const backend = new JsBackend();
const f32 = (values: number[]) => Float32Array.from(values);

/** C = op(A)·op(B) by the definition, in double precision: the oracle for gemm. */
function naiveGemm(
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

describe('JsBackend.gemm', () => {
  // A = [[1,2,3],[4,5,6]], B = [[7,8],[9,10],[11,12]]:
  // C = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]] = [[58, 64], [139, 154]].
  const a = f32([1, 2, 3, 4, 5, 6]);
  const aT = f32([1, 4, 2, 5, 3, 6]);
  const b = f32([7, 8, 9, 10, 11, 12]);
  const bT = f32([7, 9, 11, 8, 10, 12]);
  const expected = [58, 64, 139, 154];

  it.each([
    ['NN', false, false, a, b],
    ['TN', true, false, aT, b],
    ['NT', false, true, a, bT],
    ['TT', true, true, aT, bT],
  ])('%s gives the hand-worked product, and accumulates on request', (_, tA, tB, left, right) => {
    const c = f32([100, 100, 100, 100]);
    backend.gemm(tA, tB, 2, 2, 3, left, right, c, false);
    expect(Array.from(c)).toEqual(expected);
    backend.gemm(tA, tB, 2, 2, 3, left, right, c, true);
    expect(Array.from(c)).toEqual(expected.map((v) => 2 * v));
  });

  it.each([
    [1, 1, 1],
    [7, 5, 3],
    [13, 9, 11],
    [3, 17, 6],
  ])('matches the definition on %i×%i×%i, in all four variants, with zeros in A', (m, n, k) => {
    const rng = new Rng(m * 100 + n * 10 + k);
    const a = uniform(m * k, rng).map((v, i) => (i % 3 === 0 ? 0 : v));
    const b = uniform(k * n, rng);
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const c = new Float32Array(m * n + 3).fill(7);
        backend.gemm(tA, tB, m, n, k, a, b, c, false);
        expectArraysClose(c.subarray(0, m * n), naiveGemm(tA, tB, m, n, k, a, b), { rtol: 1e-5, atol: 1e-6 });
        expect(Array.from(c.subarray(m * n)), 'past m·n untouched').toEqual([7, 7, 7]);
      }
    }
  });
});

describe('JsBackend element-wise and row kernels', () => {
  it('addBias adds the bias to every row', () => {
    const x = f32([1, 2, 3, 4, 5, 6]);
    backend.addBias(x, f32([10, 20, 30]), 2, 3);
    expect(Array.from(x)).toEqual([11, 22, 33, 14, 25, 36]);
  });

  it('sumRows sums the columns, overwriting or accumulating', () => {
    const out = f32([1, 1, 1, 99]);
    backend.sumRows(f32([1, 2, 3, 4, 5, 6, 7, 8, 9]), 2, 3, out, false);
    expect(Array.from(out)).toEqual([5, 7, 9, 99]);
    backend.sumRows(f32([1, 2, 3, 4, 5, 6]), 2, 3, out, true);
    expect(Array.from(out)).toEqual([10, 14, 18, 99]);
  });

  it('relu and its backward, over the first n elements only', () => {
    const y = f32([9, 9, 9, 9, 9]);
    backend.relu(f32([-1, 0, 2.5, -0.5, 3]), y, 4);
    expect(Array.from(y)).toEqual([0, 0, 2.5, 0, 9]);
    const dx = f32([9, 9, 9, 9, 9]);
    backend.reluBackward(f32([-1, 0, 2, 3, 4]), f32([5, 6, 7, 8, 9]), dx, 4);
    expect(Array.from(dx)).toEqual([0, 0, 7, 8, 9]);
  });

  it('sigmoid: σ(0) = 1/2, σ(±ln 3) = 3/4 and 1/4, saturating without NaN', () => {
    const y = new Float32Array(5);
    backend.sigmoid(f32([0, Math.log(3), -Math.log(3), 100, -100]), y, 5);
    expectArraysClose(y.subarray(0, 3), [0.5, 0.75, 0.25]);
    expect(y[3]).toBe(1);
    expect(y[4]).toBeGreaterThanOrEqual(0);
    expect(y[4]).toBeLessThan(1e-40);
  });

  it('sigmoidBackward is dy·y·(1 − y)', () => {
    const dx = new Float32Array(3);
    backend.sigmoidBackward(f32([0.5, 0.75, 1]), f32([2, 1, 5]), dx, 3);
    expect(Array.from(dx)).toEqual([0.5, 0.1875, 0]);
  });

  it('axpy, scale and sumSquares, over the first n elements', () => {
    const y = f32([1, 2, 3]);
    backend.axpy(2, 2, f32([1, 1, 1]), y);
    expect(Array.from(y)).toEqual([3, 4, 3]);
    backend.scale(2, -0.5, y);
    expect(Array.from(y)).toEqual([-1.5, -2, 3]);
    expect(backend.sumSquares(f32([3, 4, 12]), 2)).toBe(25);
  });

  it('sumSquares accumulates in double precision', () => {
    // 2^20 copies of fround(0.1)²: a float32 running sum would be off by ~1e-3; a double one by < 1e-9.
    const n = 1 << 20;
    const tenth = Math.fround(0.1);
    expect(backend.sumSquares(new Float32Array(n).fill(0.1), n) / (n * tenth * tenth)).toBeCloseTo(1, 9);
  });
});

describe('JsBackend softmax cross-entropy', () => {
  it('gives the hand-worked probabilities and summed loss', () => {
    // Row 0: e^z = [1, 2, 5], probs [1/8, 2/8, 5/8], label 2: −ln(5/8). Row 1: uniform, label 0: ln 3.
    const logits = f32([0, Math.log(2), Math.log(5), 1, 1, 1]);
    const probs = new Float32Array(6);
    const loss = backend.softmaxCrossEntropy(logits, Int32Array.from([2, 0]), 2, 3, probs);
    expectArraysClose(probs, [1 / 8, 2 / 8, 5 / 8, 1 / 3, 1 / 3, 1 / 3]);
    expect(loss).toBeCloseTo(Math.log(8 / 5) + Math.log(3), 6);
  });

  it('stays finite on huge logits (log-sum-exp)', () => {
    const logits = f32([1000, 0, -1000, 3e38, -3e38, 0]);
    const probs = new Float32Array(6);
    const loss = backend.softmaxCrossEntropy(logits, Int32Array.from([1, 0]), 2, 3, probs);
    expect(loss).toBeCloseTo(1000, 6);
    expect(Array.from(probs)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(backend.softmaxCrossEntropy(logits, Int32Array.from([0, 0]), 2, 3, probs)).toBe(0);
  });

  it('backward is (probs − onehot)·scale', () => {
    const dx = new Float32Array(6);
    const probs = f32([0.125, 0.25, 0.625, 0.5, 0.25, 0.25]);
    backend.softmaxCrossEntropyBackward(probs, Int32Array.from([2, 0]), 2, 3, 2, dx);
    expect(Array.from(dx)).toEqual([0.25, 0.5, -0.75, -1, 0.5, 0.5]);
  });

  it('rejects a label outside the classes', () => {
    expect(() =>
      backend.softmaxCrossEntropy(f32([0, 0]), Int32Array.from([2]), 1, 2, new Float32Array(2)),
    ).toThrow(/label 2 of row 0 is outside \[0, 2\)/);
  });

  it('countCorrect takes the first of tied maxima', () => {
    const logits = f32([1, 3, 3, 2, 1, 0, 0, 0, 0, 5, 6, 7, 4]);
    // argmax per row: 1 (tie 1/2), 0, 0 (all tied); the fifth value of the last row is not read.
    expect(backend.countCorrect(logits, Int32Array.from([1, 0, 0]), 3, 3)).toBe(3);
    expect(backend.countCorrect(logits, Int32Array.from([2, 0, 1]), 3, 3)).toBe(1);
    expect(backend.countCorrect(logits, Int32Array.from([2, 0, 1, 2]), 4, 3)).toBe(2);
  });
});

describe('JsBackend buffers and createBackend', () => {
  it('alloc gives zeroed buffers; free refuses a double free and a foreign buffer', () => {
    const x = backend.alloc(5);
    const k = backend.allocInt32(3);
    expect(Array.from(x)).toEqual([0, 0, 0, 0, 0]);
    expect(k).toBeInstanceOf(Int32Array);
    backend.free(x);
    backend.free(k);
    expect(() => backend.free(x)).toThrow(/already freed/);
    expect(() => backend.free(new Float32Array(2))).toThrow(/not allocated by this backend/);
    expect(() => backend.alloc(-1)).toThrow(RangeError);
  });

  it("createBackend('js') is the JsBackend; an unknown name lists the valid ones", () => {
    expect(createBackend('js')).toBeInstanceOf(JsBackend);
    expect(createBackend('js').name).toBe('js');
    let error: unknown;
    try {
      createBackend('cuda');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownBackendError);
    expect(error).toMatchObject({
      code: 'UNKNOWN_BACKEND',
      message: expect.stringMatching(/'cuda'.*valid backends are js/),
    });
  });
});
