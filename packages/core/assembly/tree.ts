// Parameter gradients summed over a node of micro-shards. A node's rows are cut into segments (its
// micro-shards); each segment's sum starts from +0 and adds its rows in order, and the segment sums are
// combined in one fixed pairwise tree: a run of `count` segments splits into its first 2^⌈log2 count⌉⁻¹
// and the rest. A node that starts at a multiple of its size is a subtree of the whole step's tree, so a
// worker's node sum, added to others by the same rule, gives the very bits of one process doing them all.
import { denseGemm } from './dense';
import { sumRows } from './elementwise';
import { compress, scatterRow } from './sparse';

/** Where the pairwise tree over `count` segments splits them: the largest power of two below count. */
@inline
function splitOf(count: i32): i32 {
  return 1 << (31 - clz(count - 1));
}

/** dst[0..n) += src[0..n). */
@inline
function addInto(dst: usize, src: usize, n: i32): void {
  const bytes = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
}

@inline
export function align16(bytes: usize): usize {
  return (bytes + 15) & ~(<usize>15);
}

/** Bytes of scratch a scatter tree over an m × n C needs: a C-sized sum per tree level below the top. */
export function scatterTreeScratchBytes(m: i32, n: i32, segments: i32): usize {
  return treeLevels(segments) * align16(<usize>m * <usize>n * 4) + 16;
}

// A scatter tree sums each segment into a zeroed C-sized buffer; finished sums wait on a stack as in a
// binary counter (after segment t, ctz(t + 1) merges with the sums below), with C at the bottom. Folding
// what is left from the top gives the pairwise tree: its left parts are the powers of two of the segment
// count, largest first.

/** The buffer at `depth` of a scatter tree's stack: C, then the scratch sums. */
@inline
function scatterSum(c: usize, sums: usize, stride: usize, depth: i32): usize {
  return depth == 0 ? c : sums + <usize>(depth - 1) * stride;
}

/** Merges after segment t of a scatter tree, whose sum is at `depth`; returns the depth for the next one. */
@inline
function closeSegment(t: i32, segments: i32, depth: i32, c: usize, sums: usize, stride: usize, length: i32): i32 {
  for (let merges = ctz(t + 1); merges > 0; merges--) {
    addInto(scatterSum(c, sums, stride, depth - 1), scatterSum(c, sums, stride, depth), length);
    depth--;
  }
  if (t + 1 == segments) {
    for (; depth > 0; depth--) {
      addInto(scatterSum(c, sums, stride, depth - 1), scatterSum(c, sums, stride, depth), length);
    }
    return 0;
  }
  return depth + 1;
}

/**
 * C(m×n) = tree-sum over the segments at `bounds` (segments + 1 row offsets) of Aᵀ·B restricted to each
 * segment's rows, as a scatter tree: each row of A scatters its row of B into its segment's sum. With
 * `listed`, A's rows are a pixel list at `a` (its row spans; see pixels.ts); else A is stored k×m floats
 * at `a` and each row is compressed into `entries` (room for m + 3) first. `sums` holds
 * scatterTreeScratchBytes(m, n, segments).
 */
@inline
export function scatterTree(listed: bool, m: i32, n: i32, a: usize, entries: usize, b: usize, c: usize, bounds: usize, segments: i32, sums: usize): void {
  const ld = <usize>n << 2;
  const length = m * n;
  const stride = align16(<usize>length << 2);
  let depth = 0;
  for (let t = 0; t < segments; t++) {
    const into = scatterSum(c, sums, stride, depth);
    memory.fill(into, 0, <usize>length << 2);
    const end = load<i32>(bounds + (<usize>(t + 1) << 2));
    for (let r = load<i32>(bounds + (<usize>t << 2)); r < end; r++) {
      let list = entries;
      let count = 0;
      if (listed) {
        const span = a + (<usize>r << 3);
        list = <usize>load<u32>(span);
        count = <i32>((<usize>load<u32>(span, 4) - list) >> 3);
      } else {
        count = compress(a + <usize>r * (<usize>m << 2), m, ld, entries);
      }
      if (count > 0) scatterRow(list, count, b + <usize>r * ld, into, n);
    }
    depth = closeSegment(t, segments, depth, c, sums, stride, length);
  }
}

/** Bytes of scratch sparseGemmTNTree needs. */
export function sparseTreeScratchBytes(m: i32, n: i32, segments: i32): i32 {
  return <i32>(align16(<usize>(m + 3) << 3) + scatterTreeScratchBytes(m, n, segments));
}

/** C(m×n) = the tree-summed Aᵀ·B of scatterTree, A stored k×m with mostly zero entries. */
export function sparseGemmTNTree(m: i32, n: i32, a: usize, b: usize, c: usize, bounds: usize, segments: i32, scratch: usize): void {
  scatterTree(false, m, n, a, scratch, b, c, bounds, segments, scratch + align16(<usize>(m + 3) << 3));
}

/** Levels of the tree over `segments` below its top: the scratch sums a recursive tree-sum holds at once. */
@inline
function treeLevels(segments: i32): usize {
  return segments > 1 ? 32 - clz(segments - 1) : 0;
}

/** Bytes of scratch denseGemmTNTree needs: one m×n sum per tree level below the top. */
export function denseTreeScratchBytes(m: i32, n: i32, segments: i32): i32 {
  return <i32>(treeLevels(segments) * align16(<usize>m * <usize>n * 4) + 16);
}

/** As sparseGemmTNTree for dense A: each segment by the dense kernel, one m×n buffer per tree level. */
export function denseGemmTNTree(
  m: i32,
  n: i32,
  a: usize,
  b: usize,
  c: usize,
  bounds: usize,
  first: i32,
  count: i32,
  scratch: usize,
): void {
  if (count == 1) {
    const r0 = load<i32>(bounds + (<usize>first << 2));
    const r1 = load<i32>(bounds + (<usize>(first + 1) << 2));
    const a0 = a + <usize>r0 * (<usize>m << 2);
    const b0 = b + <usize>r0 * (<usize>n << 2);
    if (r1 > r0) denseGemm(m, n, r1 - r0, a0, 1, m, b0, c, false);
    else memory.fill(c, 0, <usize>m * <usize>n * 4);
    return;
  }
  const split = splitOf(count);
  const level = align16(<usize>m * <usize>n * 4);
  denseGemmTNTree(m, n, a, b, c, bounds, first, split, scratch);
  denseGemmTNTree(m, n, a, b, scratch, bounds, first + split, count - split, scratch + level);
  addInto(c, scratch, m * n);
}

/** Bytes of scratch sumRowsTree needs: one row of sums per tree level below the top. */
export function sumRowsTreeScratchBytes(cols: i32, segments: i32): i32 {
  return <i32>(treeLevels(segments) * align16(<usize>cols << 2) + 16);
}

/** out[0..cols) = tree-sum over segments of each segment's rows of x, summed in order from +0. */
export function sumRowsTree(x: usize, cols: i32, out: usize, bounds: usize, first: i32, count: i32, scratch: usize): void {
  if (count == 1) {
    const r0 = load<i32>(bounds + (<usize>first << 2));
    const r1 = load<i32>(bounds + (<usize>(first + 1) << 2));
    sumRows(x + <usize>r0 * (<usize>cols << 2), r1 - r0, cols, out, false);
    return;
  }
  const split = splitOf(count);
  const level = align16(<usize>cols << 2);
  sumRowsTree(x, cols, out, bounds, first, split, scratch);
  sumRowsTree(x, cols, scratch, bounds, first + split, count - split, scratch + level);
  addInto(out, scratch, cols);
}
