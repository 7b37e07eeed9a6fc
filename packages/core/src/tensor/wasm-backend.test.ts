import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { PixelList } from './backend.js';
import { JsBackend } from './js-backend.js';
import { pairwiseSplit } from './pairwise.js';
import { copyInto, expectCloseScaled, gemmMagnitudes, randomArray } from './wasm/test-reference.js';
import { WasmBackendError } from './wasm/wasm-backend-error.js';
import { WasmBackend } from './wasm-backend.js';

const js = new JsBackend();
const wasm = new WasmBackend();
const alloc = (length: number) => wasm.alloc(length);
const EPS = 2 ** -24;

const variants = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** Runs one gemm on both backends and checks wasm against js within the float32 dot-product error bound. */
function checkGemm(
  rng: Rng,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  accumulate: boolean,
  zeros: number,
): void {
  const a = randomArray(rng, m * k, zeros);
  const b = randomArray(rng, k * n);
  const c0 = randomArray(rng, m * n);
  const expected = Float32Array.from(c0);
  js.gemm(transA, transB, m, n, k, a, b, expected, accumulate);
  const c = copyInto(alloc, c0);
  wasm.gemm(transA, transB, m, n, k, copyInto(alloc, a), copyInto(alloc, b), c, accumulate);
  const magnitude = gemmMagnitudes(transA, transB, m, n, k, a, b);
  if (accumulate) for (let i = 0; i < magnitude.length; i++) magnitude[i] += Math.abs(c0[i]);
  // Both round once per term (wasm twice: product and sum), so |error| ≤ ~2(k + 1)·ε·Σ|a·b|.
  expectCloseScaled(c, expected, 2 * (k + 1) * EPS, 1e-30, magnitude);
}

describe('WasmBackend gemm', () => {
  const sizes = [1, 3, 5, 7, 13, 17, 31, 33];

  it.each(variants)(
    'matches the js backend on many small shapes (transA %s, transB %s)',
    (transA, transB) => {
      const rng = new Rng(11);
      for (const m of sizes) {
        for (const n of sizes) {
          const k = sizes[rng.nextInt(sizes.length)];
          checkGemm(rng, transA, transB, m, n, k, rng.nextFloat() < 0.5, 0);
        }
      }
    },
  );

  it.each(variants)(
    'matches on the seed shapes and sparse inputs (transA %s, transB %s)',
    (transA, transB) => {
      const rng = new Rng(12);
      const shapes: [number, number, number][] = [
        [100, 50, 784],
        [784, 50, 100],
        [100, 10, 50],
        [50, 10, 100],
        [100, 50, 10],
        [25, 50, 784],
        [13, 33, 100],
        [17, 100, 31],
      ];
      for (const [m, n, k] of shapes) {
        for (const zeros of [0, 0.8, 0.97]) {
          checkGemm(rng, transA, transB, m, n, k, false, zeros);
          checkGemm(rng, transA, transB, m, n, k, true, zeros);
        }
      }
    },
  );

  it('gives the same bits whether zeros are skipped or not', () => {
    // A mostly-zero A takes the zero-skipping path; the same rows stacked on dense ones take the dense path.
    // Each element sums its nonzero terms in the same order either way, so the rows agree bitwise.
    const rng = new Rng(13);
    for (const transA of [false, true]) {
      const [rows, extra, n, k] = [20, 60, 50, 100];
      const sparse = randomArray(rng, rows * k, 0.9);
      const dense = randomArray(rng, extra * k);
      const b = copyInto(alloc, randomArray(rng, k * n));
      const stacked = new Float32Array((rows + extra) * k);
      if (transA) {
        for (let p = 0; p < k; p++) {
          stacked.set(sparse.subarray(p * rows, (p + 1) * rows), p * (rows + extra));
          stacked.set(dense.subarray(p * extra, (p + 1) * extra), p * (rows + extra) + rows);
        }
      } else {
        stacked.set(sparse);
        stacked.set(dense, rows * k);
      }
      const alone = alloc(rows * n);
      const together = alloc((rows + extra) * n);
      wasm.gemm(transA, false, rows, n, k, copyInto(alloc, sparse), b, alone, false);
      wasm.gemm(transA, false, rows + extra, n, k, copyInto(alloc, stacked), b, together, false);
      expect(Buffer.from(together.buffer, together.byteOffset, alone.byteLength)).toEqual(
        Buffer.from(alone.buffer, alone.byteOffset, alone.byteLength),
      );
    }
  });

  it('is deterministic: the same call gives the same bits', () => {
    const rng = new Rng(14);
    const a = copyInto(alloc, randomArray(rng, 100 * 784, 0.8));
    const b = copyInto(alloc, randomArray(rng, 784 * 50));
    const first = alloc(100 * 50);
    const second = alloc(100 * 50);
    wasm.gemm(false, false, 100, 50, 784, a, b, first, false);
    wasm.gemm(false, false, 100, 50, 784, a, b, second, false);
    expect(Array.from(second)).toEqual(Array.from(first));
  });

  it('keeps its scratch work inside the scratch it asked for', () => {
    // The first call sizes the scratch block; a canary allocated right after it must survive a second call.
    const rng = new Rng(16);
    const cases: [boolean, boolean, number, number, number][] = [
      [true, false, 784, 50, 100],
      [false, false, 100, 50, 784],
      [false, true, 33, 50, 17],
      [true, true, 31, 13, 40],
    ];
    for (const [transA, transB, m, n, k] of cases) {
      const backend = new WasmBackend();
      const a = copyInto((length) => backend.alloc(length), randomArray(rng, m * k, 0.8));
      const b = copyInto((length) => backend.alloc(length), randomArray(rng, k * n));
      const c = backend.alloc(m * n);
      backend.gemm(transA, transB, m, n, k, a, b, c, false);
      const canary = backend.alloc(1 << 16).fill(42);
      backend.gemm(transA, transB, m, n, k, a, b, c, false);
      expect(canary.every((v) => v === 42)).toBe(true);
    }
  });

  it('handles k = 0 and empty outputs', () => {
    const c = copyInto(alloc, Float32Array.of(1, 2, 3, 4));
    wasm.gemm(false, false, 2, 2, 0, alloc(0), alloc(0), c, true);
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
    wasm.gemm(false, false, 2, 2, 0, alloc(0), alloc(0), c, false);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });

  it('accepts subarray views and foreign arrays, writing results back', () => {
    const rng = new Rng(15);
    const [m, n, k] = [7, 13, 17];
    const a = randomArray(rng, m * k);
    const b = randomArray(rng, k * n);
    const expected = new Float32Array(m * n);
    js.gemm(false, true, m, n, k, a, b, expected, false);
    const pool = alloc(m * k + 3);
    pool.set(a, 3);
    const viaViews = alloc(m * n);
    wasm.gemm(false, true, m, n, k, pool.subarray(3), copyInto(alloc, b), viaViews, false);
    const foreign = new Float32Array(m * n);
    wasm.gemm(false, true, m, n, k, a, b, foreign, false);
    expect(Array.from(foreign)).toEqual(Array.from(viaViews));
    expectCloseScaled(foreign, expected, 1e-5, 1e-6);
  });

  it('refuses a buffer shorter than the shapes need', () => {
    const call = () => wasm.gemm(false, false, 4, 4, 4, alloc(15), alloc(16), alloc(16), false);
    expect(call).toThrow(WasmBackendError);
    expect(call).toThrow(/gemm A needs 16 elements but the buffer holds 15/);
    try {
      call();
    } catch (error) {
      expect((error as WasmBackendError).code).toBe('WASM_BUFFER_TOO_SMALL');
    }
  });
});

describe('WasmBackend gemmTNTree and sumRowsTree', () => {
  /** Segment bounds cutting `rows` into `segments` pieces of near-equal size. */
  const boundsOf = (rows: number, segments: number) =>
    Int32Array.from({ length: segments + 1 }, (_, t) => Math.round((t * rows) / segments));

  it('match the js backend on many shapes, segment counts and densities', () => {
    const rng = new Rng(21);
    for (const [m, n, k] of [
      [784, 50, 100],
      [50, 10, 100],
      [13, 9, 17],
      [31, 33, 64],
      [7, 5, 11],
    ] as const) {
      for (const segments of [1, 2, 3, 5, 16].filter((s) => s <= k)) {
        for (const zeros of [0, 0.8]) {
          const a = randomArray(rng, k * m, zeros);
          const b = randomArray(rng, k * n);
          const bounds = boundsOf(k, segments);
          const expected = new Float32Array(m * n);
          js.gemmTNTree(m, n, k, a, b, expected, bounds, segments);
          const c = alloc(m * n);
          wasm.gemmTNTree(m, n, k, copyInto(alloc, a), copyInto(alloc, b), c, bounds, segments);
          expectCloseScaled(
            c,
            expected,
            2 * (k + 1) * EPS,
            1e-30,
            gemmMagnitudes(true, false, m, n, k, a, b),
          );
          const sums = new Float32Array(n);
          js.sumRowsTree(b, n, sums, bounds, segments);
          const wasmSums = alloc(n);
          wasm.sumRowsTree(copyInto(alloc, b), n, wasmSums, bounds, segments);
          expect(Array.from(wasmSums)).toEqual(Array.from(sums));
        }
      }
    }
  });

  it('give the bits of per-segment sums added along the pairwise tree, sparse and dense paths alike', () => {
    const rng = new Rng(22);
    const [m, n, k] = [40, 12, 30];
    /** Σ parts[first … first + count) at element i, in float32 along the pairwise tree. */
    const treeSum = (parts: Float32Array[], i: number, first: number, count: number): number => {
      if (count === 1) return parts[first][i];
      const split = pairwiseSplit(count);
      return Math.fround(treeSum(parts, i, first, split) + treeSum(parts, i, first + split, count - split));
    };
    // 5 segments: ((0 + 1) + (2 + 3)) + 4; 7: ((0 + 1) + (2 + 3)) + ((4 + 5) + 6).
    for (const segments of [1, 4, 5, 7, 11, 16]) {
      const bounds = boundsOf(k, segments);
      for (const zeros of [0, 0.9]) {
        const a = copyInto(alloc, randomArray(rng, k * m, zeros));
        const b = copyInto(alloc, randomArray(rng, k * n));
        const parts = Array.from({ length: segments }, (_, t) => {
          const out = alloc(m * n);
          const [r0, r1] = [bounds[t], bounds[t + 1]];
          wasm.gemm(true, false, m, n, r1 - r0, a.subarray(r0 * m), b.subarray(r0 * n), out, false);
          return out;
        });
        const byHand = Float32Array.from({ length: m * n }, (_, i) => treeSum(parts, i, 0, segments));
        const c = alloc(m * n);
        wasm.gemmTNTree(m, n, k, a, b, c, bounds, segments);
        expect(Buffer.from(c.buffer, c.byteOffset, c.byteLength)).toEqual(Buffer.from(byHand.buffer));
      }
    }
  });

  it('refuse bounds that do not cut the rows into non-empty segments', () => {
    const a = alloc(12);
    const c = alloc(12);
    for (const bounds of [Int32Array.of(0, 2, 2, 4), Int32Array.of(1, 2, 4), Int32Array.of(0, 2, 3)]) {
      expect(() => wasm.gemmTNTree(3, 4, 4, a, a, c, bounds, bounds.length - 1)).toThrow(RangeError);
    }
  });
});

describe('WasmBackend pixel lists', () => {
  /** rows × cols pixel bytes, `density` of them lit with 1–255, in backend memory or not. */
  function pixelBytes(rng: Rng, rows: number, cols: number, density: number, owned: boolean): Uint8Array {
    const words = owned ? wasm.allocInt32(Math.ceil((rows * cols) / 4)) : null;
    const out = words
      ? new Uint8Array(words.buffer, words.byteOffset, rows * cols)
      : new Uint8Array(rows * cols);
    for (let i = 0; i < rows * cols; i++) out[i] = rng.nextFloat() < density ? 1 + rng.nextInt(255) : 0;
    return out;
  }
  const bitsOf = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  const sameBits = (x: Float32Array, y: Float32Array) => bitsOf(x).equals(bitsOf(y));

  it('give the bits of unitBytes then the float kernels, on many shapes and densities', () => {
    const rng = new Rng(31);
    for (const [maxRows, cols, n] of [
      [100, 784, 50],
      [37, 33, 9],
      [5, 16, 7],
      [64, 100, 13],
    ] as const) {
      const list = wasm.createPixelList(maxRows, cols, n);
      // Dense pixels outgrow the list's first size; fewer rows than before must not see the earlier ones.
      for (const [density, rows] of [
        [0.2, maxRows],
        [0.95, maxRows],
        [0, maxRows],
        [0.5, Math.max(3, maxRows >> 1)],
      ] as const) {
        const pixels = pixelBytes(rng, rows, cols, density, density !== 0.5);
        const w = copyInto(alloc, randomArray(rng, cols * n));
        const dout = copyInto(alloc, randomArray(rng, rows * n));
        const x = alloc(rows * cols);
        wasm.unitBytes(pixels, rows * cols, x);
        wasm.listPixels(list, pixels, rows);
        expect(list.rows).toBe(rows);

        const expected = alloc(rows * n);
        wasm.gemm(false, false, rows, n, cols, x, w, expected, false);
        const out = alloc(rows * n);
        wasm.gemmPixels(list, w, out);
        expect(sameBits(out, expected)).toBe(true);

        for (const segments of [1, 3, 4, 5, 7, 10].filter((s) => s <= rows)) {
          const bounds = Int32Array.from({ length: segments + 1 }, (_, t) =>
            Math.round((t * rows) / segments),
          );
          const expectedDW = alloc(cols * n);
          wasm.gemmTNTree(cols, n, rows, x, dout, expectedDW, bounds, segments);
          const dW = alloc(cols * n);
          wasm.gemmTNTreePixels(list, dout, dW, bounds, segments);
          expect(sameBits(dW, expectedDW)).toBe(true);

          const jsList = js.createPixelList(maxRows, cols, n);
          js.listPixels(jsList, pixels, rows);
          const jsDW = new Float32Array(cols * n);
          js.gemmTNTreePixels(jsList, Float32Array.from(dout), jsDW, bounds, segments);
          expectCloseScaled(
            dW,
            jsDW,
            2 * (rows + 1) * EPS,
            1e-30,
            gemmMagnitudes(true, false, cols, n, rows, x, dout),
          );
        }
      }
      wasm.freePixelList(list);
    }
  });

  it('select rows of a list made in chunks with the bits of listing those rows, as the js backend does', () => {
    const rng = new Rng(77);
    const [count, cols, n, rows] = [90, 50, 11, 24];
    // Dense rows after sparse ones make the list grow mid-way, moving the rows listed before.
    const pixels = Uint8Array.from([
      ...pixelBytes(rng, 40, cols, 0.1, false),
      ...pixelBytes(rng, count - 40, cols, 0.9, false),
    ]);
    const index = wasm.createPixelList(count, cols, n);
    const jsIndex = js.createPixelList(count, cols, n);
    for (const [first, end] of [
      [0, 40],
      [40, 41],
      [41, count],
    ]) {
      wasm.listPixels(index, pixels.subarray(first * cols, end * cols), end - first, first);
      js.listPixels(jsIndex, pixels.subarray(first * cols, end * cols), end - first, first);
    }
    expect(index.rows).toBe(count);
    const indices = Int32Array.from({ length: rows }, () => rng.nextInt(count));
    const chosen = new Uint8Array(rows * cols);
    for (const [r, row] of indices.entries())
      chosen.set(pixels.subarray(row * cols, (row + 1) * cols), r * cols);
    const listed = wasm.createPixelList(rows, cols, n);
    wasm.listPixels(listed, chosen, rows);
    const selected = wasm.createPixelList(rows, cols, n);
    wasm.selectRows(selected, index, indices, rows);
    const jsSelected = js.createPixelList(rows, cols, n);
    js.selectRows(jsSelected, jsIndex, indices, rows);
    const jsListed = js.createPixelList(rows, cols, n);
    js.listPixels(jsListed, chosen, rows);

    const w = copyInto(alloc, randomArray(rng, cols * n));
    const dout = copyInto(alloc, randomArray(rng, rows * n));
    const bounds = Int32Array.of(0, 6, 12, 18, 24);
    const outputs = (backend: typeof wasm | typeof js, list: PixelList) => {
      const out = new Float32Array(rows * n);
      const dW = new Float32Array(cols * n);
      backend.gemmPixels(list, w, out);
      backend.gemmTNTreePixels(list, dout, dW, bounds, 4);
      return [...bitsOf(out), ...bitsOf(dW)];
    };
    expect(outputs(wasm, selected)).toEqual(outputs(wasm, listed));
    expect(outputs(js, jsSelected)).toEqual(outputs(js, jsListed));
    // Listing into a selection makes it a list of its own rows again.
    wasm.listPixels(selected, chosen, rows);
    expect(outputs(wasm, selected)).toEqual(outputs(wasm, listed));
    for (const list of [index, listed, selected]) wasm.freePixelList(list);
  });

  it('refuse selections the lists cannot hold, and rows listed past a gap', () => {
    const index = wasm.createPixelList(10, 8, 3);
    wasm.listPixels(index, new Uint8Array(6 * 8), 6);
    const into = wasm.createPixelList(4, 8, 3);
    expect(() => wasm.selectRows(into, index, Int32Array.of(0, 6), 2)).toThrow(
      /row 6 is not one of the 6 rows the list holds/,
    );
    expect(() => wasm.selectRows(into, index, new Int32Array(5), 5)).toThrow(
      /rows must be an integer in \[0, 4\]/,
    );
    expect(() => wasm.selectRows(wasm.createPixelList(4, 8, 2), index, new Int32Array(1), 1)).toThrow(
      /do not match/,
    );
    wasm.selectRows(into, index, Int32Array.of(5, 0), 2);
    expect(() => wasm.selectRows(index, into, Int32Array.of(0), 1)).toThrow(/not a selection/);
    expect(() => wasm.listPixels(index, new Uint8Array(8), 1, 7)).toThrow(
      /first must be an integer in \[0, 6\]/,
    );
    expect(() => wasm.listPixels(index, new Uint8Array(5 * 8), 5, 6)).toThrow(/\[0, 4\] from row 6/);
  });

  it('lend a list to a backend over the same memory, which selects from it but never lists into or frees it', () => {
    const lender = new WasmBackend();
    const index = lender.createPixelList(3, 8, 2);
    lender.listPixels(
      index,
      Uint8Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? i : 0)),
      3,
    );
    const borrower = new WasmBackend({ arena: lender.lendArena(1 << 20) });
    const borrowed = borrower.adoptPixelList(lender.sharePixelList(index));
    const w = borrower.alloc(16).fill(1);
    const [mine, theirs] = [lender.createPixelList(2, 8, 2), borrower.createPixelList(2, 8, 2)];
    lender.selectRows(mine, index, Int32Array.of(2, 1), 2);
    borrower.selectRows(theirs, borrowed, Int32Array.of(2, 1), 2);
    const [a, b] = [lender.alloc(4), borrower.alloc(4)];
    lender.gemmPixels(mine, lender.float32At(w.byteOffset, 16), a);
    borrower.gemmPixels(theirs, w, b);
    expect([...b]).toEqual([...a]);
    expect(a[0]).toBeGreaterThan(0);
    expect(() => borrower.listPixels(borrowed, new Uint8Array(8), 1)).toThrow(
      /belongs to the backend that shared it/,
    );
    expect(() => borrower.freePixelList(borrowed)).toThrow(/belongs to the backend that shared it/);
  });

  it('refuse lists made elsewhere or freed, and more rows than a list holds', () => {
    const list = wasm.createPixelList(4, 8, 3);
    const pixels = new Uint8Array(5 * 8);
    expect(() => wasm.listPixels(list, pixels, 5)).toThrow(/rows must be an integer in \[0, 4\] from row 0/);
    expect(() => wasm.listPixels(list, pixels.subarray(0, 20), 4)).toThrow(/need 32 bytes/);
    expect(() => wasm.gemmPixels(js.createPixelList(4, 8, 3), alloc(24), alloc(12))).toThrow(
      WasmBackendError,
    );
    expect(() => wasm.createPixelList(0, 8, 3)).toThrow(/maxRows must be a positive integer/);
    wasm.freePixelList(list);
    expect(() => wasm.listPixels(list, pixels, 4)).toThrow(/was not made by this backend or was freed/);
  });
});

describe('WasmBackend element-wise kernels and reductions', () => {
  const lengths = [0, 1, 3, 5, 7, 13, 17, 31, 33, 100, 784];

  it('addBias and sumRows match', () => {
    const rng = new Rng(21);
    for (const rows of [1, 3, 17, 100]) {
      for (const cols of [1, 5, 10, 33, 50]) {
        const x = randomArray(rng, rows * cols);
        const bias = randomArray(rng, cols);
        const expected = Float32Array.from(x);
        js.addBias(expected, bias, rows, cols);
        const got = copyInto(alloc, x);
        wasm.addBias(got, copyInto(alloc, bias), rows, cols);
        expect(Array.from(got)).toEqual(Array.from(expected));
        for (const accumulate of [false, true]) {
          const out0 = randomArray(rng, cols);
          const sumExpected = Float32Array.from(out0);
          js.sumRows(x, rows, cols, sumExpected, accumulate);
          const sum = copyInto(alloc, out0);
          wasm.sumRows(copyInto(alloc, x), rows, cols, sum, accumulate);
          expectCloseScaled(sum, sumExpected, (rows + 1) * 2 * EPS, 1e-6);
        }
      }
    }
  });

  it('relu, reluBackward, sigmoidBackward, axpy and scale match', () => {
    const rng = new Rng(22);
    for (const n of lengths) {
      const x = randomArray(rng, n, 0.1);
      const dy = randomArray(rng, n);
      const y = Float32Array.from(x, (v) => 1 / (1 + Math.exp(-v)));
      const pairs: [string, (be: JsBackend | WasmBackend, out: Float32Array) => void][] = [
        ['relu', (be, out) => be.relu(x, out, n)],
        ['reluBackward', (be, out) => be.reluBackward(x, dy, out, n)],
        ['sigmoidBackward', (be, out) => be.sigmoidBackward(y, dy, out, n)],
        ['axpy', (be, out) => be.axpy(n, 0.37, x, out.fill(0.5))],
        ['scale', (be, out) => be.scale(n, -1.7, out.fill(0.25))],
      ];
      for (const [name, run] of pairs) {
        const expected = new Float32Array(n);
        run(js, expected);
        const got = alloc(n);
        run(wasm, got);
        expect(got.length, name).toBe(n);
        expectCloseScaled(got, expected, 4 * EPS, 1e-30);
      }
    }
  });

  it('sigmoid is within 1e-6 relative of the exact value over the whole float range', () => {
    const xs: number[] = [
      0,
      -0,
      1e-8,
      -1e-8,
      87,
      -87,
      88,
      -88,
      89,
      -89,
      100,
      -100,
      1e30,
      -1e30,
      Infinity,
      -Infinity,
    ];
    for (let v = -90; v <= 90; v += 0.0137) xs.push(v);
    const x = Float32Array.from(xs);
    const got = alloc(x.length);
    wasm.sigmoid(copyInto(alloc, x), got, x.length);
    const exact = Float64Array.from(x, (v) => 1 / (1 + Math.exp(-v)));
    // Below ~1e-38 float32 has no normal numbers left; there only the absolute error matters.
    expectCloseScaled(got, exact, 1e-6, 1e-37);
    const nan = alloc(5).fill(Number.NaN);
    wasm.sigmoid(nan, nan, 5);
    expect(Array.from(nan).every(Number.isNaN)).toBe(true);
  });

  it('sigmoid works in place', () => {
    const x = copyInto(alloc, Float32Array.of(-2, -1, 0, 1, 2, 3, 4));
    wasm.sigmoid(x, x, x.length);
    expectCloseScaled(
      x,
      [-2, -1, 0, 1, 2, 3, 4].map((v) => 1 / (1 + Math.exp(-v))),
      1e-6,
      0,
    );
  });

  it('softmaxCrossEntropy, its backward and countCorrect match', () => {
    const rng = new Rng(23);
    for (const rows of [1, 3, 13, 100]) {
      for (const cols of [1, 2, 3, 10, 17]) {
        const logits = randomArray(rng, rows * cols).map((v) => v * 8);
        if (rows > 2) logits[cols] = 1e4; // a huge logit must stay finite
        const labels = Int32Array.from({ length: rows }, () => rng.nextInt(cols));
        const probsJs = new Float32Array(rows * cols);
        const lossJs = js.softmaxCrossEntropy(logits, labels, rows, cols, probsJs);
        const probs = alloc(rows * cols);
        const loss = wasm.softmaxCrossEntropy(copyInto(alloc, logits), labels, rows, cols, probs);
        expect(Math.abs(loss - lossJs)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(lossJs)));
        expectCloseScaled(probs, probsJs, 1e-6, 1e-7);
        const dxJs = new Float32Array(rows * cols);
        js.softmaxCrossEntropyBackward(probsJs, labels, rows, cols, 1 / rows, dxJs);
        const dx = alloc(rows * cols);
        wasm.softmaxCrossEntropyBackward(probs, labels, rows, cols, 1 / rows, dx);
        expectCloseScaled(dx, dxJs, 1e-6, 1e-7);
        const ties = logits.map((v) => Math.round(v / 4));
        expect(wasm.countCorrect(ties, labels, rows, cols)).toBe(js.countCorrect(ties, labels, rows, cols));
      }
    }
  });

  it('refuses a label outside the classes', () => {
    const call = () => wasm.softmaxCrossEntropy(alloc(6), Int32Array.of(0, 3), 2, 3, alloc(6));
    expect(call).toThrow(/label 3 of row 1 is outside \[0, 3\)/);
  });

  it('sumSquares matches in double precision', () => {
    const rng = new Rng(24);
    for (const n of [...lengths, 39_200]) {
      const x = randomArray(rng, n);
      const expected = js.sumSquares(x, n);
      expect(Math.abs(wasm.sumSquares(copyInto(alloc, x), n) - expected)).toBeLessThanOrEqual(
        1e-12 * (1 + expected),
      );
    }
  });
});

describe('WasmBackend memory', () => {
  it('hands out zeroed buffers and reuses freed ones, zeroed again', () => {
    const backend = new WasmBackend();
    const first = backend.alloc(100);
    first.fill(7);
    const offset = first.byteOffset;
    backend.free(first);
    const again = backend.alloc(100);
    expect(again.byteOffset).toBe(offset);
    expect(again.every((v) => v === 0)).toBe(true);
    const ints = backend.allocInt32(9);
    expect(ints).toBeInstanceOf(Int32Array);
    expect(ints.every((v) => v === 0)).toBe(true);
    backend.free(ints);
  });

  it('keeps every view valid while the memory grows', () => {
    const backend = new WasmBackend();
    const early = backend.alloc(1000);
    for (let i = 0; i < early.length; i++) early[i] = i;
    const before = backend.memoryBytes;
    const big = backend.alloc(4 << 20); // 16 MiB: forces growth
    expect(backend.memoryBytes).toBeGreaterThan(before);
    expect(early.length).toBe(1000);
    expect(early[999]).toBe(999);
    // Kernels still reach buffers made before the growth, and those made after.
    backend.scale(1000, 2, early);
    expect(early[999]).toBe(1998);
    big[big.length - 1] = 3;
    backend.axpy(1, 1, big.subarray(big.length - 1), early);
    expect(early[0]).toBe(3);
  });

  it('refuses to grow past its maximum, with a clear error', () => {
    const backend = new WasmBackend({ maxMemoryBytes: 1 << 20 });
    expect(() => backend.alloc(1 << 20)).toThrow(expect.objectContaining({ code: 'WASM_OUT_OF_MEMORY' }));
    expect(backend.alloc(1000).length).toBe(1000);
  });

  it("lends an arena that a second backend allocates in, each reading the other's buffers in place", () => {
    const lender = new WasmBackend();
    const mine = lender.alloc(8);
    mine.fill(2);
    const arena = lender.lendArena(1 << 16);
    const borrower = new WasmBackend({ arena });
    const theirs = borrower.alloc(8);
    expect(theirs.byteOffset).toBeGreaterThanOrEqual(arena.start);
    expect(theirs.byteOffset + theirs.byteLength).toBeLessThanOrEqual(arena.end);
    // Lender's buffers and the arena never overlap, and a lender's buffer needs no staging in the borrower.
    expect(mine.byteOffset + mine.byteLength).toBeLessThanOrEqual(arena.start);
    borrower.axpy(8, 3, borrower.float32At(mine.byteOffset, 8), theirs);
    expect([...lender.float32At(theirs.byteOffset, 8)]).toEqual(new Array(8).fill(6));
    expect(() => borrower.alloc(1 << 16)).toThrow(expect.objectContaining({ code: 'WASM_OUT_OF_MEMORY' }));
    lender.reclaimArena(arena);
    expect(lender.lendArena(1 << 16).start).toBe(arena.start);
  });

  it('refuses an arena outside its memory and views past its end', () => {
    const lender = new WasmBackend();
    const arena = lender.lendArena(1024);
    const badArena = expect.objectContaining({ code: 'WASM_BAD_ARENA' });
    expect(() => new WasmBackend({ arena: { ...arena, start: 0 } })).toThrow(badArena);
    expect(() => new WasmBackend({ arena: { ...arena, end: lender.memoryBytes + 1 } })).toThrow(badArena);
    expect(() => lender.float32At(lender.memoryBytes - 4, 2)).toThrow(/do not lie in this/);
    expect(() => lender.float32At(2, 1)).toThrow(expect.objectContaining({ code: 'WASM_BAD_LENGTH' }));
  });

  it('refuses to free foreign buffers, subarrays and double frees', () => {
    const backend = new WasmBackend();
    const buffer = backend.alloc(10);
    const badFree = expect.objectContaining({ code: 'WASM_BAD_FREE' });
    expect(() => backend.free(new Float32Array(10))).toThrow(badFree);
    expect(() => backend.free(buffer.subarray(1))).toThrow(badFree);
    backend.free(buffer);
    expect(() => backend.free(buffer)).toThrow(badFree);
    expect(() => backend.alloc(-1)).toThrow(expect.objectContaining({ code: 'WASM_BAD_LENGTH' }));
  });
});
