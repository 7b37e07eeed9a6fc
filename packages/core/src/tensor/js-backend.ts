import { PIXEL_TO_UNIT } from '../data/batch.js';
import type { Backend, PixelList } from './backend.js';
import { checkSegments, pairwiseSplit } from './pairwise.js';
import { checkListedRows, checkPixelListShape, checkSelectedRows } from './pixel-list.js';

/** The pixels as the floats unitBytes writes: the reference the listed kernels must match bit for bit. */
class JsPixelList implements PixelList {
  readonly units: Float32Array;
  rows = 0;

  constructor(
    readonly maxRows: number,
    readonly cols: number,
    readonly n: number,
  ) {
    this.units = new Float32Array(maxRows * cols);
  }
}

/**
 * The plain TypeScript backend: the readable reference every other backend is tested against. Loops are
 * written out; products are formed in double precision and stored as float32, so each `C +=` rounds once.
 */
export class JsBackend implements Backend {
  readonly name = 'js' as const;
  private readonly live = new WeakSet<Float32Array | Int32Array>();

  alloc(length: number): Float32Array {
    const buffer = new Float32Array(checkLength(length));
    this.live.add(buffer);
    return buffer;
  }

  allocInt32(length: number): Int32Array {
    const buffer = new Int32Array(checkLength(length));
    this.live.add(buffer);
    return buffer;
  }

  free(buffer: Float32Array | Int32Array): void {
    if (!this.live.delete(buffer))
      throw new Error('free: buffer was not allocated by this backend or was already freed');
  }

  private readonly pixelLists = new WeakSet<JsPixelList>();
  private readonly treeLevels: Float32Array[] = [];

  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    accumulate: boolean,
  ): void {
    if (!accumulate) c.fill(0, 0, m * n);
    if (!transB) {
      // i-k-j (or k-i-j): the inner loop runs along a row of B and a row of C. A zero in A adds nothing, so
      // it is skipped (MNIST inputs are mostly zeros); the result is bitwise the same for finite B.
      if (!transA) {
        for (let i = 0; i < m; i++) {
          const ci = i * n;
          for (let p = 0; p < k; p++) {
            const aip = a[i * k + p];
            if (aip === 0) continue;
            const bp = p * n;
            for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
          }
        }
      } else {
        // A is stored k×m: walk it row by row (k-i-j); each C[i, j] still sums over p in ascending order.
        for (let p = 0; p < k; p++) {
          const ap = p * m;
          const bp = p * n;
          for (let i = 0; i < m; i++) {
            const api = a[ap + i];
            if (api === 0) continue;
            const ci = i * n;
            for (let j = 0; j < n; j++) c[ci + j] += api * b[bp + j];
          }
        }
      }
      return;
    }
    // B is stored n×k: C[i, j] is the dot product of a row (or column) of A with row j of B.
    const aRow = transA ? 1 : k;
    const aCol = transA ? m : 1;
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      const ai = i * aRow;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[ai + p * aCol] * b[bj + p];
        c[ci + j] += sum;
      }
    }
  }

  addBias(x: Float32Array, bias: Float32Array, rows: number, cols: number): void {
    for (let i = 0; i < rows; i++) {
      const xi = i * cols;
      for (let j = 0; j < cols; j++) x[xi + j] += bias[j];
    }
  }

  gemmTNTree(
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    bounds: Int32Array,
    segments: number,
  ): void {
    checkSegments(bounds, segments, k, 'gemmTNTree');
    this.segmentTree(c, m * n, 0, segments, 0, (first, out) => {
      const r0 = bounds[first];
      this.gemm(
        true,
        false,
        m,
        n,
        bounds[first + 1] - r0,
        a.subarray(r0 * m),
        b.subarray(r0 * n),
        out,
        false,
      );
    });
  }

  createPixelList(maxRows: number, cols: number, n: number): PixelList {
    checkPixelListShape(maxRows, cols, n);
    const list = new JsPixelList(maxRows, cols, n);
    this.pixelLists.add(list);
    return list;
  }

  freePixelList(list: PixelList): void {
    if (!this.pixelLists.delete(list as JsPixelList))
      throw new Error('freePixelList: list was not made by this backend or was already freed');
  }

  listPixels(list: PixelList, a: Uint8Array, rows: number, first = 0): void {
    const own = this.ownList(list, 'listPixels');
    checkListedRows(own, a, rows, first);
    this.unitBytes(a, rows * own.cols, own.units.subarray(first * own.cols));
    own.rows = first + rows;
  }

  selectRows(into: PixelList, from: PixelList, indices: Int32Array, rows: number): void {
    const to = this.ownList(into, 'selectRows');
    const source = this.ownList(from, 'selectRows');
    checkSelectedRows(to, source, indices, rows);
    const { cols } = to;
    for (let r = 0; r < rows; r++)
      to.units.set(source.units.subarray(indices[r] * cols, (indices[r] + 1) * cols), r * cols);
    to.rows = rows;
  }

  gemmPixels(list: PixelList, b: Float32Array, c: Float32Array): void {
    const own = this.ownList(list, 'gemmPixels');
    this.gemm(false, false, own.rows, own.n, own.cols, own.units, b, c, false);
  }

  gemmTNTreePixels(
    list: PixelList,
    b: Float32Array,
    c: Float32Array,
    bounds: Int32Array,
    segments: number,
  ): void {
    const own = this.ownList(list, 'gemmTNTreePixels');
    this.gemmTNTree(own.cols, own.n, own.rows, own.units, b, c, bounds, segments);
  }

  private ownList(list: PixelList, what: string): JsPixelList {
    if (!(list instanceof JsPixelList) || !this.pixelLists.has(list))
      throw new Error(`${what}: the pixel list was not made by this backend or was freed`);
    return list;
  }

  sumRowsTree(x: Float32Array, cols: number, out: Float32Array, bounds: Int32Array, segments: number): void {
    checkSegments(bounds, segments, bounds[segments], 'sumRowsTree');
    this.segmentTree(out, cols, 0, segments, 0, (first, into) => {
      const r0 = bounds[first];
      this.sumRows(x.subarray(r0 * cols), bounds[first + 1] - r0, cols, into, false);
    });
  }

  /**
   * out = pairwise-tree sum of leaf(first … first + count - 1), each leaf written by `leaf`; a right subtree at
   * `depth` is summed in treeLevels[depth], kept for the next call.
   */
  private segmentTree(
    out: Float32Array,
    length: number,
    first: number,
    count: number,
    depth: number,
    leaf: (segment: number, out: Float32Array) => void,
  ): void {
    if (count === 1) {
      leaf(first, out);
      return;
    }
    const split = pairwiseSplit(count);
    this.segmentTree(out, length, first, split, depth + 1, leaf);
    if ((this.treeLevels[depth]?.length ?? 0) < length) this.treeLevels[depth] = new Float32Array(length);
    const right = this.treeLevels[depth].subarray(0, length);
    this.segmentTree(right, length, first + split, count - split, depth + 1, leaf);
    for (let i = 0; i < length; i++) out[i] += right[i];
  }

  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array, accumulate: boolean): void {
    if (!accumulate) out.fill(0, 0, cols);
    for (let i = 0; i < rows; i++) {
      const xi = i * cols;
      for (let j = 0; j < cols; j++) out[j] += x[xi + j];
    }
  }

  relu(x: Float32Array, y: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) y[i] = Math.max(x[i], 0);
  }

  reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
  }

  sigmoid(x: Float32Array, y: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
  }

  sigmoidBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const v = y[i];
      dx[i] = dy[i] * v * (1 - v);
    }
  }

  softmaxCrossEntropy(
    logits: Float32Array,
    labels: Int32Array,
    rows: number,
    cols: number,
    probs: Float32Array,
  ): number {
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      const li = i * cols;
      const label = checkLabel(labels[i], cols, i);
      let max = logits[li];
      for (let j = 1; j < cols; j++) if (logits[li + j] > max) max = logits[li + j];
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const e = Math.exp(logits[li + j] - max);
        probs[li + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < cols; j++) probs[li + j] *= inv;
      // −log softmax[label] = log Σ e^(z − max) − (z[label] − max): finite however large the logits.
      loss += Math.log(sum) - (logits[li + label] - max);
    }
    return loss;
  }

  softmaxCrossEntropyBackward(
    probs: Float32Array,
    labels: Int32Array,
    rows: number,
    cols: number,
    scale: number,
    dx: Float32Array,
  ): void {
    for (let i = 0; i < rows; i++) {
      const li = i * cols;
      const label = checkLabel(labels[i], cols, i);
      for (let j = 0; j < cols; j++) {
        const target = j === label ? 1 : 0;
        dx[li + j] = (probs[li + j] - target) * scale;
      }
    }
  }

  countCorrect(logits: Float32Array, labels: Int32Array, rows: number, cols: number): number {
    let correct = 0;
    for (let i = 0; i < rows; i++) {
      const li = i * cols;
      let best = 0;
      for (let j = 1; j < cols; j++) if (logits[li + j] > logits[li + best]) best = j;
      if (best === labels[i]) correct++;
    }
    return correct;
  }

  axpy(n: number, a: number, x: Float32Array, y: Float32Array): void {
    for (let i = 0; i < n; i++) y[i] += a * x[i];
  }

  divide(n: number, x: Float32Array, d: number, y: Float32Array): void {
    for (let i = 0; i < n; i++) y[i] = x[i] / d;
  }

  divideAxpy(n: number, x: Float32Array, d: number, a: number, q: Float32Array, y: Float32Array): void {
    this.divide(n, x, d, q);
    this.axpy(n, a, q, y);
  }

  unitBytes(bytes: Uint8Array, n: number, x: Float32Array): void {
    for (let i = 0; i < n; i++) x[i] = PIXEL_TO_UNIT[bytes[i]];
  }

  scale(n: number, a: number, x: Float32Array): void {
    for (let i = 0; i < n; i++) x[i] *= a;
  }

  sumSquares(x: Float32Array, n: number): number {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i] * x[i];
    return sum;
  }
}

function checkLength(length: number): number {
  if (!Number.isInteger(length) || length < 0)
    throw new RangeError(`alloc needs a length ≥ 0, got ${length}`);
  return length;
}

function checkLabel(label: number, cols: number, row: number): number {
  if (!(label >= 0 && label < cols))
    throw new RangeError(`label ${label} of row ${row} is outside [0, ${cols})`);
  return label;
}
