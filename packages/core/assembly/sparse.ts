// Sparse-A variants of op(A)·B for mostly-zero inputs (MNIST pixels are ~80% zeros). Each C element still
// sums over p in ascending order from the same starting value as the dense kernel; the terms left out are
// exactly those whose A entry is ±0, which add nothing for finite B, so results match the dense path.
import { initial, storeLanes } from './lanes';

@inline
function mac(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** Σ (x[i] ≠ 0) over len floats. */
export function countNonzero(x: usize, len: i32): i32 {
  const zero = f32x4.splat(0);
  let count = 0;
  let i = 0;
  for (; i + 4 <= len; i += 4) count += popcnt(i32x4.bitmask(f32x4.ne(v128.load(x + (<usize>i << 2)), zero)));
  for (; i < len; i++) if (load<f32>(x + (<usize>i << 2)) != 0) count++;
  return count;
}

/**
 * Writes (byte offset index·stride, value) pairs for the nonzeros of len floats at x into list, in index
 * order, and returns how many there are. `list` needs room for len + 3 entries.
 */
export function compress(x: usize, len: i32, stride: usize, list: usize): i32 {
  const zero = f32x4.splat(0);
  let count = 0;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const mask = i32x4.bitmask(f32x4.ne(v, zero));
    // All-zero vectors come in long runs (an image's margins), so this branch predicts well; within a
    // vector, each lane is written unconditionally and kept by advancing count only if nonzero, since
    // which lanes are set is data-dependent and a branch on it mispredicts.
    if (mask != 0) {
      const offset = <u32>(<usize>i * stride);
      const step = <u32>stride;
      let e = list + (<usize>count << 3);
      store<u32>(e, offset);
      v128.store32_lane(e, v, 0, 4);
      count += mask & 1;
      e = list + (<usize>count << 3);
      store<u32>(e, offset + step);
      v128.store32_lane(e, v, 1, 4);
      count += (mask >> 1) & 1;
      e = list + (<usize>count << 3);
      store<u32>(e, offset + 2 * step);
      v128.store32_lane(e, v, 2, 4);
      count += (mask >> 2) & 1;
      e = list + (<usize>count << 3);
      store<u32>(e, offset + 3 * step);
      v128.store32_lane(e, v, 3, 4);
      count += mask >> 3;
    }
  }
  for (; i < len; i++) {
    const value = load<f32>(x + (<usize>i << 2));
    if (value != 0) {
      const e = list + (<usize>count << 3);
      store<u32>(e, <u32>(<usize>i * stride));
      store<f32>(e, value, 4);
      count++;
    }
  }
  return count;
}

const MAX_VECS = 13;

// Row kernels over a list of (offset, value) entries, for `vecs` (1–13, a constant after inlining) f32x4
// columns whose last one has `lanes` (1–4) valid lanes. Loads past the row's end are harmless (slack).

/** c[0..w) (=|+=) Σ_e value_e · b[offset_e .. offset_e + w), accumulators in registers. */
@inline
function gatherVecs(list: usize, count: i32, b: usize, c: usize, acc: bool, vecs: i32, lanes: i32): void {
  let s0 = initial(c, acc);
  let s1 = vecs > 1 ? initial(c + 16, acc) : s0;
  let s2 = vecs > 2 ? initial(c + 32, acc) : s0;
  let s3 = vecs > 3 ? initial(c + 48, acc) : s0;
  let s4 = vecs > 4 ? initial(c + 64, acc) : s0;
  let s5 = vecs > 5 ? initial(c + 80, acc) : s0;
  let s6 = vecs > 6 ? initial(c + 96, acc) : s0;
  let s7 = vecs > 7 ? initial(c + 112, acc) : s0;
  let s8 = vecs > 8 ? initial(c + 128, acc) : s0;
  let s9 = vecs > 9 ? initial(c + 144, acc) : s0;
  let s10 = vecs > 10 ? initial(c + 160, acc) : s0;
  let s11 = vecs > 11 ? initial(c + 176, acc) : s0;
  let s12 = vecs > 12 ? initial(c + 192, acc) : s0;
  const end = list + (<usize>count << 3);
  for (let e = list; e < end; e += 8) {
    const bp = b + <usize>load<u32>(e);
    const x = v128.load32_splat(e, 4);
    s0 = mac(s0, x, v128.load(bp));
    if (vecs > 1) s1 = mac(s1, x, v128.load(bp, 16));
    if (vecs > 2) s2 = mac(s2, x, v128.load(bp, 32));
    if (vecs > 3) s3 = mac(s3, x, v128.load(bp, 48));
    if (vecs > 4) s4 = mac(s4, x, v128.load(bp, 64));
    if (vecs > 5) s5 = mac(s5, x, v128.load(bp, 80));
    if (vecs > 6) s6 = mac(s6, x, v128.load(bp, 96));
    if (vecs > 7) s7 = mac(s7, x, v128.load(bp, 112));
    if (vecs > 8) s8 = mac(s8, x, v128.load(bp, 128));
    if (vecs > 9) s9 = mac(s9, x, v128.load(bp, 144));
    if (vecs > 10) s10 = mac(s10, x, v128.load(bp, 160));
    if (vecs > 11) s11 = mac(s11, x, v128.load(bp, 176));
    if (vecs > 12) s12 = mac(s12, x, v128.load(bp, 192));
  }
  if (vecs > 1) v128.store(c, s0);
  if (vecs > 2) v128.store(c, s1, 16);
  if (vecs > 3) v128.store(c, s2, 32);
  if (vecs > 4) v128.store(c, s3, 48);
  if (vecs > 5) v128.store(c, s4, 64);
  if (vecs > 6) v128.store(c, s5, 80);
  if (vecs > 7) v128.store(c, s6, 96);
  if (vecs > 8) v128.store(c, s7, 112);
  if (vecs > 9) v128.store(c, s8, 128);
  if (vecs > 10) v128.store(c, s9, 144);
  if (vecs > 11) v128.store(c, s10, 160);
  if (vecs > 12) v128.store(c, s11, 176);
  let last = s0;
  if (vecs == 2) last = s1;
  if (vecs == 3) last = s2;
  if (vecs == 4) last = s3;
  if (vecs == 5) last = s4;
  if (vecs == 6) last = s5;
  if (vecs == 7) last = s6;
  if (vecs == 8) last = s7;
  if (vecs == 9) last = s8;
  if (vecs == 10) last = s9;
  if (vecs == 11) last = s10;
  if (vecs == 12) last = s11;
  if (vecs == 13) last = s12;
  const lastPtr = c + (<usize>(vecs - 1) << 4);
  if (lanes == 4) v128.store(lastPtr, last);
  else storeLanes(lastPtr, last, lanes);
}

function gatherChunk(list: usize, count: i32, b: usize, c: usize, acc: bool, vecs: i32, lanes: i32): void {
  switch (vecs) {
    case 1:
      gatherVecs(list, count, b, c, acc, 1, lanes);
      break;
    case 2:
      gatherVecs(list, count, b, c, acc, 2, lanes);
      break;
    case 3:
      gatherVecs(list, count, b, c, acc, 3, lanes);
      break;
    case 4:
      gatherVecs(list, count, b, c, acc, 4, lanes);
      break;
    case 5:
      gatherVecs(list, count, b, c, acc, 5, lanes);
      break;
    case 6:
      gatherVecs(list, count, b, c, acc, 6, lanes);
      break;
    case 7:
      gatherVecs(list, count, b, c, acc, 7, lanes);
      break;
    case 8:
      gatherVecs(list, count, b, c, acc, 8, lanes);
      break;
    case 9:
      gatherVecs(list, count, b, c, acc, 9, lanes);
      break;
    case 10:
      gatherVecs(list, count, b, c, acc, 10, lanes);
      break;
    case 11:
      gatherVecs(list, count, b, c, acc, 11, lanes);
      break;
    case 12:
      gatherVecs(list, count, b, c, acc, 12, lanes);
      break;
    default:
      gatherVecs(list, count, b, c, acc, 13, lanes);
  }
}

// A row of n columns is cut into passes of at most MAX_VECS vectors, as even as possible (60 → 8 + 7
// vectors), so no pass is a short one whose few accumulator chains would stall on add latency.

export function gatherRow(list: usize, count: i32, b: usize, c: usize, n: i32, acc: bool): void {
  byPasses(false, list, count, b, c, n, acc);
}

/**
 * gatherChunk (or scatterChunk) over a row of n columns. One pass when it fits (the seed's 50 columns): no
 * divisions, which cost as much as a short list's work.
 */
@inline
function byPasses(scatter: bool, list: usize, count: i32, b: usize, c: usize, n: i32, acc: bool): void {
  const vecs = (n + 3) >> 2;
  const lastLanes = n - ((vecs - 1) << 2);
  if (vecs <= MAX_VECS) {
    if (scatter) scatterChunk(list, count, b, c, vecs, lastLanes);
    else gatherChunk(list, count, b, c, acc, vecs, lastLanes);
    return;
  }
  let passes = (vecs + MAX_VECS - 1) / MAX_VECS;
  let done = 0;
  while (passes > 0) {
    const width = (vecs - done + passes - 1) / passes;
    const lanes = done + width == vecs ? lastLanes : 4;
    const offset = <usize>done << 4;
    if (scatter) scatterChunk(list, count, b + offset, c + offset, width, lanes);
    else gatherChunk(list, count, b + offset, c + offset, acc, width, lanes);
    done += width;
    passes--;
  }
}

// The scatter form: one row's entries each add value · d into the C row they name, d (one row of B) held
// in registers. For a weight gradient cut into micro-shards this beats gathering C rows from column lists,
// which hold a few entries per shard, each run paying a loop and a merge: the seed's 784×50 gradient over
// 4 shards took 1.4× less time.

/** c[offset_e .. offset_e + w) += value_e · d[0..w) for every entry, in order. */
@inline
function scatterVecs(list: usize, count: i32, d: usize, c: usize, vecs: i32, lanes: i32): void {
  const d0 = v128.load(d, 0);
  const d1 = vecs <= 1 ? f32x4.splat(0) : v128.load(d, 16);
  const d2 = vecs <= 2 ? f32x4.splat(0) : v128.load(d, 32);
  const d3 = vecs <= 3 ? f32x4.splat(0) : v128.load(d, 48);
  const d4 = vecs <= 4 ? f32x4.splat(0) : v128.load(d, 64);
  const d5 = vecs <= 5 ? f32x4.splat(0) : v128.load(d, 80);
  const d6 = vecs <= 6 ? f32x4.splat(0) : v128.load(d, 96);
  const d7 = vecs <= 7 ? f32x4.splat(0) : v128.load(d, 112);
  const d8 = vecs <= 8 ? f32x4.splat(0) : v128.load(d, 128);
  const d9 = vecs <= 9 ? f32x4.splat(0) : v128.load(d, 144);
  const d10 = vecs <= 10 ? f32x4.splat(0) : v128.load(d, 160);
  const d11 = vecs <= 11 ? f32x4.splat(0) : v128.load(d, 176);
  const d12 = vecs <= 12 ? f32x4.splat(0) : v128.load(d, 192);
  const end = list + (<usize>count << 3);
  for (let e = list; e < end; e += 8) {
    const p = c + <usize>load<u32>(e);
    const x = v128.load32_splat(e, 4);
    if (vecs > 1) v128.store(p, mac(v128.load(p, 0), x, d0), 0);
    if (vecs > 2) v128.store(p, mac(v128.load(p, 16), x, d1), 16);
    if (vecs > 3) v128.store(p, mac(v128.load(p, 32), x, d2), 32);
    if (vecs > 4) v128.store(p, mac(v128.load(p, 48), x, d3), 48);
    if (vecs > 5) v128.store(p, mac(v128.load(p, 64), x, d4), 64);
    if (vecs > 6) v128.store(p, mac(v128.load(p, 80), x, d5), 80);
    if (vecs > 7) v128.store(p, mac(v128.load(p, 96), x, d6), 96);
    if (vecs > 8) v128.store(p, mac(v128.load(p, 112), x, d7), 112);
    if (vecs > 9) v128.store(p, mac(v128.load(p, 128), x, d8), 128);
    if (vecs > 10) v128.store(p, mac(v128.load(p, 144), x, d9), 144);
    if (vecs > 11) v128.store(p, mac(v128.load(p, 160), x, d10), 160);
    if (vecs > 12) v128.store(p, mac(v128.load(p, 176), x, d11), 176);
    let last = d0;
    if (vecs == 2) last = d1;
    if (vecs == 3) last = d2;
    if (vecs == 4) last = d3;
    if (vecs == 5) last = d4;
    if (vecs == 6) last = d5;
    if (vecs == 7) last = d6;
    if (vecs == 8) last = d7;
    if (vecs == 9) last = d8;
    if (vecs == 10) last = d9;
    if (vecs == 11) last = d10;
    if (vecs == 12) last = d11;
    if (vecs == 13) last = d12;
    const lastPtr = p + (<usize>(vecs - 1) << 4);
    const sum = mac(v128.load(lastPtr), x, last);
    if (lanes == 4) v128.store(lastPtr, sum);
    else storeLanes(lastPtr, sum, lanes);
  }
}

function scatterChunk(list: usize, count: i32, d: usize, c: usize, vecs: i32, lanes: i32): void {
  switch (vecs) {
    case 1:
      scatterVecs(list, count, d, c, 1, lanes);
      break;
    case 2:
      scatterVecs(list, count, d, c, 2, lanes);
      break;
    case 3:
      scatterVecs(list, count, d, c, 3, lanes);
      break;
    case 4:
      scatterVecs(list, count, d, c, 4, lanes);
      break;
    case 5:
      scatterVecs(list, count, d, c, 5, lanes);
      break;
    case 6:
      scatterVecs(list, count, d, c, 6, lanes);
      break;
    case 7:
      scatterVecs(list, count, d, c, 7, lanes);
      break;
    case 8:
      scatterVecs(list, count, d, c, 8, lanes);
      break;
    case 9:
      scatterVecs(list, count, d, c, 9, lanes);
      break;
    case 10:
      scatterVecs(list, count, d, c, 10, lanes);
      break;
    case 11:
      scatterVecs(list, count, d, c, 11, lanes);
      break;
    case 12:
      scatterVecs(list, count, d, c, 12, lanes);
      break;
    default:
      scatterVecs(list, count, d, c, 13, lanes);
  }
}

/** For each entry e of the list: C[offset_e / 4 .. + n) += value_e · d[0..n), cut into passes as gatherRow. */
export function scatterRow(list: usize, count: i32, d: usize, c: usize, n: i32): void {
  byPasses(true, list, count, d, c, n, false);
}

/** C(m×n) (=|+=) A·B with A row-major m×k, skipping zeros of A row by row. */
export function sparseGemmNN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, acc: bool, list: usize): void {
  const ldb = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const count = compress(a + <usize>i * (<usize>k << 2), k, ldb, list);
    gatherRow(list, count, b, c + <usize>i * ldb, n, acc);
  }
}

/**
 * Lists the nonzeros of each column of a rows×cols matrix: column j's (row·stride, value) entries, in row
 * order, at lists + j·rows·8, their number at counts + j·4.
 */
export function listColumns(a: usize, rows: i32, cols: i32, stride: usize, counts: usize, lists: usize): void {
  const listBytes = <usize>rows << 3;
  memory.fill(counts, 0, <usize>cols << 2);
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const row = a + <usize>r * (<usize>cols << 2);
    const offset = <u32>(<usize>r * stride);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const mask = i32x4.bitmask(f32x4.ne(v128.load(row + (<usize>j << 2)), zero));
      // As in compress: skip all-zero vectors, then write every lane and count only the nonzero ones.
      if (mask != 0) {
        appendEntry(counts, lists, listBytes, j, offset, row, mask & 1);
        appendEntry(counts, lists, listBytes, j + 1, offset, row, (mask >> 1) & 1);
        appendEntry(counts, lists, listBytes, j + 2, offset, row, (mask >> 2) & 1);
        appendEntry(counts, lists, listBytes, j + 3, offset, row, mask >> 3);
      }
    }
    for (; j < cols; j++) appendEntry(counts, lists, listBytes, j, offset, row, <i32>(load<f32>(row + (<usize>j << 2)) != 0));
  }
}

@inline
function appendEntry(counts: usize, lists: usize, listBytes: usize, col: i32, offset: u32, row: usize, keep: i32): void {
  const slot = counts + (<usize>col << 2);
  const count = load<i32>(slot);
  const e = lists + <usize>col * listBytes + (<usize>count << 3);
  store<u32>(e, offset);
  store<f32>(e, load<f32>(row + (<usize>col << 2)), 4);
  store<i32>(slot, count + keep);
}

/** Bytes of scratch sparseGemmTN needs. */
export function sparseTNScratchBytes(m: i32, k: i32): i32 {
  return (((m << 2) + 15) & ~15) + m * k * 8;
}

/**
 * C(m×n) (=|+=) Aᵀ·B with A stored k×m: the nonzeros of each column of A are listed first (in p order),
 * then every C row gathers the B rows its column names, accumulating in registers. Measured faster than
 * scattering into C rows, whose loads and stores go to L2 for the seed's 784×50 weight gradient.
 */
export function sparseGemmTN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, acc: bool, scratch: usize): void {
  const ld = <usize>n << 2;
  const lists = scratch + (((<usize>m << 2) + 15) & ~15);
  listColumns(a, k, m, ld, scratch, lists);
  const listBytes = <usize>k << 3;
  for (let i = 0; i < m; i++) {
    gatherRow(lists + <usize>i * listBytes, load<i32>(scratch + (<usize>i << 2)), b, c + <usize>i * ld, n, acc);
  }
}
