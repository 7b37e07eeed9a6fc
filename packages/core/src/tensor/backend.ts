/** The kernels every layer is built from. All matrices are row-major Float32Array views. */
export type BackendName = 'js' | 'wasm';

/**
 * A batch's pixel bytes prepared once for the first layer's forward and weight gradient, which both read
 * them: the wasm backend lists the nonzero pixels (MNIST is ~80% zeros, and finding them costs as much as a
 * product), the js backend keeps them as floats. Made by, and only usable with, one backend.
 */
export interface PixelList {
  readonly maxRows: number;
  readonly cols: number;
  readonly n: number;
  /** Rows listed by the last `listPixels`. */
  readonly rows: number;
}

export interface Backend {
  readonly name: BackendName;
  /**
   * A zeroed buffer this backend computes on without copying. Hot paths allocate all their buffers once,
   * up front, through here: for the wasm backend they live in its linear memory.
   */
  alloc(length: number): Float32Array;
  allocInt32(length: number): Int32Array;
  /** Gives a buffer from `alloc`/`allocInt32` back; using it afterwards is an error. */
  free(buffer: Float32Array | Int32Array): void;

  /** C(m×n) = op(A)·op(B), or C += op(A)·op(B) when `accumulate`. op(A) is m×k, op(B) is k×n. */
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
  ): void;
  /**
   * C(m×n) = Aᵀ·B over the k rows of A (stored k×m) and B, cut into `segments` at `bounds` (segments + 1
   * row offsets, 0 … k): each segment's product summed on its own, the segment sums added along the
   * pairwise tree (pairwise.ts). A weight gradient over several micro-shards at once.
   */
  gemmTNTree(
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    bounds: Int32Array,
    segments: number,
  ): void;
  /** An empty pixel list for up to maxRows rows of `cols` pixel bytes, multiplied with `n`-column matrices. */
  createPixelList(maxRows: number, cols: number, n: number): PixelList;
  /** Gives a pixel list's memory back; using it afterwards is an error. */
  freePixelList(list: PixelList): void;
  /**
   * Lists the nonzero pixels of `rows` rows of pixel bytes (rows × list.cols) into `list`, as its rows
   * [first, first + rows): rows before `first` are kept, so a list of a whole data set can be made in chunks.
   */
  listPixels(list: PixelList, a: Uint8Array, rows: number, first?: number): void;
  /**
   * Makes `into` list rows indices[0..rows) of `from`, without listing them again: a batch from a list of its
   * whole data set. `into` reads `from`'s entries until it is listed into or selected again, so `from` must
   * not change or be freed meanwhile.
   */
  selectRows(into: PixelList, from: PixelList, indices: Int32Array, rows: number): void;
  /**
   * C(rows×n) = (A / 255)·B for the listed pixels A and B cols×n: the first layer's forward, each pixel standing
   * for the float32 that `unitBytes` would write; the same bits as `unitBytes` then `gemm`.
   */
  gemmPixels(list: PixelList, b: Float32Array, c: Float32Array): void;
  /** `gemmTNTree` with A = the listed pixels / 255 (rows × cols): the first layer's weight gradient, C cols×n. */
  gemmTNTreePixels(
    list: PixelList,
    b: Float32Array,
    c: Float32Array,
    bounds: Int32Array,
    segments: number,
  ): void;
  /** out[j] = Σ_i x[i, j] per segment, the segment sums added along the pairwise tree: a bias gradient. */
  sumRowsTree(x: Float32Array, cols: number, out: Float32Array, bounds: Int32Array, segments: number): void;
  /** x[i, j] += bias[j] for a rows×cols matrix, in place. */
  addBias(x: Float32Array, bias: Float32Array, rows: number, cols: number): void;
  /** out[j] = Σ_i x[i, j] (or += when `accumulate`): the bias gradient. */
  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array, accumulate: boolean): void;
  /** y = max(x, 0) over the first n elements. */
  relu(x: Float32Array, y: Float32Array, n: number): void;
  /** dx = dy where x > 0, else 0. */
  reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void;
  /** y = 1 / (1 + e^-x). */
  sigmoid(x: Float32Array, y: Float32Array, n: number): void;
  /** dx = dy · y · (1 − y), from the sigmoid's output y. */
  sigmoidBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void;
  /**
   * Row-wise softmax of logits into probs (stable: max subtracted) and the cross-entropy loss summed over
   * rows, −Σ log p[label], computed with log-sum-exp so it stays finite.
   */
  softmaxCrossEntropy(
    logits: Float32Array,
    labels: Int32Array,
    rows: number,
    cols: number,
    probs: Float32Array,
  ): number;
  /** dx = (probs − onehot(labels)) · scale. */
  softmaxCrossEntropyBackward(
    probs: Float32Array,
    labels: Int32Array,
    rows: number,
    cols: number,
    scale: number,
    dx: Float32Array,
  ): void;
  /** How many rows have their largest logit (first on ties) at the label. */
  countCorrect(logits: Float32Array, labels: Int32Array, rows: number, cols: number): number;
  /** y += a·x over the first n elements. */
  axpy(n: number, a: number, x: Float32Array, y: Float32Array): void;
  /** y = x / d over the first n elements (a true division: the applied gradient is gradSum / B). */
  divide(n: number, x: Float32Array, d: number, y: Float32Array): void;
  /** q = x / d, then y += a·q, over the first n elements: `divide` then `axpy`, with their bits (x may be q). */
  divideAxpy(n: number, x: Float32Array, d: number, a: number, q: Float32Array, y: Float32Array): void;
  /** x[i] = bytes[i] / 255 over the first n bytes: the float32 of PIXEL_TO_UNIT (data/batch.ts). */
  unitBytes(bytes: Uint8Array, n: number, x: Float32Array): void;
  /** x *= a over the first n elements. */
  scale(n: number, a: number, x: Float32Array): void;
  /** Σ x² over the first n elements, accumulated in double precision. */
  sumSquares(x: Float32Array, n: number): number;
}
