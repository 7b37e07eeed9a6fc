// Parameter gradients summed over a node of micro-shards. A node's rows are cut into segments (its
// micro-shards); each segment's sum starts from +0 and adds its rows in order, and the segment sums are
// combined in one fixed pairwise tree: a run of `count` segments splits into its first 2^⌈log2 count⌉⁻¹
// and the rest. A node that starts at a multiple of its size is a subtree of the whole step's tree, so a
// worker's node sum, added to others by the same rule, gives the very bits of one process doing them all.
// A sum that starts from +0 is never -0, so a segment with no nonzero term (+0) may be skipped in the tree.
import { denseGemm } from './dense';
import { sumRows } from './elementwise';
import { gatherRow, listColumns } from './sparse';

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

/** Writes the tree's merges for segments [first, first + count) in post-order, as (into, from) pairs. */
function writeMerges(first: i32, count: i32, out: usize, written: i32): i32 {
  if (count == 1) return written;
  const split = splitOf(count);
  written = writeMerges(first, split, out, written);
  written = writeMerges(first + split, count - split, out, written);
  store<i32>(out + (<usize>written << 3), first);
  store<i32>(out + (<usize>written << 3), first + split, 4);
  return written + 1;
}

@inline
export function align16(bytes: usize): usize {
  return (bytes + 15) & ~(<usize>15);
}

/** Bytes of the per-row work area of treeFromLists: a slot per segment, its live pointer, the merges. */
export function treeWorkBytes(n: i32, segments: i32): usize {
  return <usize>segments * (<usize>(((n + 3) >> 2) << 4) + 12) + 16;
}

/** Bytes of scratch sparseGemmTNTree needs. */
export function sparseTreeScratchBytes(m: i32, n: i32, k: i32, segments: i32): i32 {
  return <i32>((align16(<usize>m << 2) << 1) + align16(<usize>m * <usize>k * 8) + treeWorkBytes(n, segments));
}

/**
 * C(m×n) = tree-sum over segments of Aᵀ·B restricted to the segment's rows, A stored k×m with mostly zero
 * entries. `bounds` holds segments + 1 row offsets (0 … k). Each C row is built in L1: the nonzeros of A's
 * column are walked in row order, every segment gathers its own into a slot, and the slots are merged
 * along the tree, skipping segments that had none.
 */
export function sparseGemmTNTree(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  b: usize,
  c: usize,
  bounds: usize,
  segments: i32,
  scratch: usize,
): void {
  const ld = <usize>n << 2;
  const counts = scratch;
  const starts = counts + align16(<usize>m << 2);
  const lists = starts + align16(<usize>m << 2);
  listColumns(a, k, m, ld, counts, lists);
  for (let i = 0; i < m; i++) store<i32>(starts + (<usize>i << 2), i * k);
  treeFromLists(m, n, b, c, bounds, segments, counts, starts, lists, lists + align16(<usize>m * <usize>k * 8));
}

/**
 * The tree sums of C rows from column lists: column i's `counts[i]` entries (offset of its B row, value) start
 * at entry `starts[i]` of `lists`, in row order. Every segment gathers its own entries into a slot of `work`
 * (the first into C's row), and the slots are merged along the tree.
 */
export function treeFromLists(
  m: i32,
  n: i32,
  b: usize,
  c: usize,
  bounds: usize,
  segments: i32,
  counts: usize,
  starts: usize,
  lists: usize,
  work: usize,
): void {
  const ld = <usize>n << 2;
  const slotBytes = <usize>(((n + 3) >> 2) << 4);
  const slots = work;
  const live = slots + <usize>segments * slotBytes;
  const merges = live + (<usize>segments << 2);
  const mergeCount = writeMerges(0, segments, merges, 0);
  for (let i = 0; i < m; i++) {
    const list = lists + (<usize>load<i32>(starts + (<usize>i << 2)) << 3);
    const count = load<i32>(counts + (<usize>i << 2));
    const row = c + <usize>i * ld;
    if (count == 0) {
      memory.fill(row, 0, ld);
      continue;
    }
    let e = 0;
    for (let t = 0; t < segments; t++) {
      const limit = <u32>(<usize>load<i32>(bounds + (<usize>(t + 1) << 2)) * ld);
      const start = e;
      while (e < count && load<u32>(list + (<usize>e << 3)) < limit) e++;
      let slot: usize = 0;
      if (e > start) {
        // The first segment sums straight into C's row, where the tree's result lands unless it is empty.
        slot = t == 0 ? row : slots + <usize>t * slotBytes;
        gatherRow(list + (<usize>start << 3), e - start, b, slot, n, false);
      }
      store<u32>(live + (<usize>t << 2), <u32>slot);
    }
    for (let j = 0; j < mergeCount; j++) {
      const into = live + (<usize>load<i32>(merges + (<usize>j << 3)) << 2);
      const from = <usize>load<u32>(live + (<usize>load<i32>(merges + (<usize>j << 3), 4) << 2));
      if (from == 0) continue;
      const to = <usize>load<u32>(into);
      if (to == 0) store<u32>(into, <u32>from);
      else addInto(to, from, n);
    }
    const root = <usize>load<u32>(live);
    if (root != row) memory.copy(row, root, ld);
  }
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
