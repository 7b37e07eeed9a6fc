/** The exports of assembly/index.ts; every pointer is a byte offset into the shared memory. */
export interface KernelExports {
  heapBase(): number;
  gemmScratchBytes(transA: boolean, transB: boolean, m: number, n: number, k: number): number;
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    c: number,
    accumulate: boolean,
    scratch: number,
  ): void;
  gemmTNTreeScratchBytes(m: number, n: number, k: number, segments: number): number;
  gemmTNTree(
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    c: number,
    bounds: number,
    segments: number,
    scratch: number,
  ): void;
  pixelListBytes(maxRows: number, capacity: number): number;
  listPixels(
    rows: number,
    cols: number,
    a: number,
    ld: number,
    list: number,
    maxRows: number,
    capacity: number,
    first: number,
  ): number;
  /** Returns a value of no use (see pixels.ts). */
  gemmPixels(rows: number, n: number, list: number, b: number, c: number): number;
  gemmTNTreePixelsScratchBytes(cols: number, n: number, segments: number): number;
  gemmTNTreePixels(
    cols: number,
    n: number,
    list: number,
    b: number,
    c: number,
    bounds: number,
    segments: number,
    scratch: number,
  ): void;
  sumRowsTreeScratchBytes(cols: number, segments: number): number;
  sumRowsTree(x: number, cols: number, out: number, bounds: number, segments: number, scratch: number): void;
  addBias(x: number, bias: number, rows: number, cols: number): void;
  sumRows(x: number, rows: number, cols: number, out: number, accumulate: boolean): void;
  relu(x: number, y: number, n: number): void;
  reluBackward(x: number, dy: number, dx: number, n: number): void;
  sigmoid(x: number, y: number, n: number): void;
  sigmoidBackward(y: number, dy: number, dx: number, n: number): void;
  softmaxCrossEntropy(logits: number, labels: number, rows: number, cols: number, probs: number): number;
  softmaxCrossEntropyBackward(
    probs: number,
    labels: number,
    rows: number,
    cols: number,
    scale: number,
    dx: number,
  ): void;
  countCorrect(logits: number, labels: number, rows: number, cols: number): number;
  axpy(n: number, a: number, x: number, y: number): void;
  divide(n: number, x: number, d: number, y: number): void;
  divideAxpy(n: number, x: number, d: number, a: number, q: number, y: number): void;
  unitBytes(bytes: number, n: number, x: number): void;
  scale(n: number, a: number, x: number): void;
  sumSquares(x: number, n: number): number;
}
