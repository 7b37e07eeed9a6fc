// The kernels of the wasm backend. Every pointer is a byte offset into the imported shared memory, which
// the host owns and allocates; this module keeps no state and allocates nothing.
import { denseGemm } from './dense';
import { countNonzero, sparseGemmNN, sparseGemmTN, sparseTNScratchBytes } from './sparse';
import { denseGemmTNTree, denseTreeScratchBytes, sparseGemmTNTree, sparseTreeScratchBytes, sumRowsTree as sumRowsTreeFrom } from './tree';
export { sumRowsTreeScratchBytes } from './tree';
export { gemmPixels, gemmTNTreePixels, gemmTNTreePixelsScratchBytes, listPixels, pixelListBytes } from './pixels';

export {
  addBias,
  axpy,
  divide,
  divideAxpy,
  relu,
  reluBackward,
  scale,
  sigmoid,
  sigmoidBackward,
  sumRows,
  sumSquares,
  unitBytes,
} from './elementwise';
export { countCorrect, softmaxCrossEntropy, softmaxCrossEntropyBackward } from './softmax';

/** Where the host may start allocating: past this module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

// Skipping zeros pays once op(A) is at most about half nonzero: at MNIST's ~20% the sparse kernels take
// ~40% of the dense time for the seed shapes (batch 100 and micro-shards of 12–25 rows alike); they lose
// for n < 8, where a row is too short to keep the accumulators busy. The density is estimated from A's
// first DENSITY_SAMPLE elements, so deciding costs the same however large A is. Either path gives the same
// result (each skipped term is a zero), so the choice changes no bits beyond the sign of an all-zero sum.
const SPARSE_MAX_DENSITY: f64 = 0.5;
const SPARSE_MIN_N: i32 = 8;
const SPARSE_MIN_K: i32 = 4;
const DENSITY_SAMPLE: i32 = 4096;

@inline
function worthSkipping(n: i32, k: i32, a: usize, total: i32): bool {
  return n >= SPARSE_MIN_N && k >= SPARSE_MIN_K && <f64>countNonzero(a, total) <= <f64>total * SPARSE_MAX_DENSITY;
}

/** Bytes of scratch `gemmTNTree` needs. */
export function gemmTNTreeScratchBytes(m: i32, n: i32, k: i32, segments: i32): i32 {
  return max(sparseTreeScratchBytes(m, n, segments), denseTreeScratchBytes(m, n, segments));
}

/**
 * C(m×n) = Aᵀ·B over k rows (A stored k×m) cut into segments at `bounds` (segments + 1 row offsets), each
 * segment summed on its own and the sums combined in the fixed pairwise tree (see tree.ts).
 */
export function gemmTNTree(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, bounds: usize, segments: i32, scratch: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    memory.fill(c, 0, <usize>m * <usize>n * 4);
    return;
  }
  if (worthSkipping(n, k, a, m * k)) sparseGemmTNTree(m, n, a, b, c, bounds, segments, scratch);
  else denseGemmTNTree(m, n, a, b, c, bounds, 0, segments, scratch);
}

/** out = Σ rows of x, per segment from +0 in row order, the segment sums combined in the pairwise tree. */
export function sumRowsTree(x: usize, cols: i32, out: usize, bounds: usize, segments: i32, scratch: usize): void {
  sumRowsTreeFrom(x, cols, out, bounds, 0, segments, scratch);
}

/** Bytes of scratch `gemm` needs. */
export function gemmScratchBytes(transA: bool, transB: bool, m: i32, n: i32, k: i32): i32 {
  return (transB ? (k * n * 4 + 15) & ~15 : 0) + (transA ? sparseTNScratchBytes(m, k) : (k + 4) * 8);
}

/** B (n×k) → Bᵀ (k×n) at out. */
function transpose(b: usize, n: i32, k: i32, out: usize): void {
  for (let j = 0; j < n; j++) {
    const row = b + <usize>j * ((<usize>k) << 2);
    for (let p = 0; p < k; p++)
      store<f32>(out + ((<usize>p * <usize>n + <usize>j) << 2), load<f32>(row + ((<usize>p) << 2)));
  }
}

/** C(m×n) = op(A)·op(B), or += when acc; `scratch` holds gemmScratchBytes bytes. */
export function gemm(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  b: usize,
  c: usize,
  acc: bool,
  scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!acc) memory.fill(c, 0, <usize>m * <usize>n * 4);
    return;
  }
  let list = scratch;
  if (transB) {
    transpose(b, n, k, scratch);
    b = scratch;
    list = scratch + <usize>((k * n * 4 + 15) & ~15);
  }
  if (worthSkipping(n, k, a, m * k)) {
    if (transA) sparseGemmTN(m, n, k, a, b, c, acc, list);
    else sparseGemmNN(m, n, k, a, b, c, acc, list);
    return;
  }
  denseGemm(m, n, k, a, transA ? 1 : k, transA ? m : 1, b, c, acc);
}
