// The first layer from pixel bytes. A batch's nonzero pixels are listed once a step (listPixels); its forward
// (gemmPixels) gathers weight rows row by row from that list, and its weight gradient (gemmTNTreePixels)
// scatters from the same entries, so the ~80% zero pixels are found once instead of once per product.
// A byte p stands for the float32 p / 255 (as unitBytes writes it), so the results have the bits of the
// float kernels on unitBytes' output.
//
// A list of up to maxRows rows with room for `capacity` entries lies at `list` as
//   spans      u32[2·maxRows]     row r's entries are the bytes [spans[2r], spans[2r + 1]) of memory
//   entries    (u32 col·ld, f32 value)[capacity], in row order and within a row in column order
// A row's span may point into another list's entries (the host's selectRows): a batch then reads rows a
// data set's list holds, without listing them again.
import { gatherRow } from './sparse';
import { align16, scatterTree, scatterTreeScratchBytes } from './tree';

@inline
function entriesAt(list: usize, maxRows: i32): usize {
  return list + align16(<usize>maxRows << 3);
}

/** Bytes of a pixel list for up to maxRows rows with room for `capacity` nonzeros. */
export function pixelListBytes(maxRows: i32, capacity: i32): i32 {
  return <i32>(entriesAt(0, maxRows) + align16(<usize>capacity << 3));
}

// For each 4-bit mask of nonzero lanes, the swizzle that moves those 4-byte lanes to the front, in order.
const PACK_LANES = memory.data<u8>([
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  4, 5, 6, 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 6, 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  8, 9, 10, 11, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 8, 9, 10, 11, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  4, 5, 6, 7, 8, 9, 10, 11, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x80, 0x80, 0x80, 0x80,
  12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  4, 5, 6, 7, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80,
  8, 9, 10, 11, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);

/**
 * Appends the nonzero ones of 4 pixels (their bytes as u32 lanes; `lit` has a bit per nonzero lane) as entries
 * at `e`, and returns how many it appended. It always writes 4 entries: those past the appended ones are
 * garbage the next append overwrites, and lie within the 4 pixels' own room in the list.
 */
@inline
function appendLanes(e: usize, pixels: v128, lit: i32, cols: v128): i32 {
  // p / 255 in float32 division, as unitBytes and the float kernels' inputs have it.
  const values = f32x4.div(f32x4.convert_i32x4_u(pixels), f32x4.splat(255));
  const pack = v128.load(PACK_LANES + (<usize>lit << 4));
  const c = i8x16.swizzle(cols, pack);
  const v = i8x16.swizzle(values, pack);
  v128.store(e, i8x16.shuffle(c, v, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23));
  v128.store(e, i8x16.shuffle(c, v, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31), 16);
  return <i32>popcnt(lit);
}

/**
 * Lists the nonzero bytes of rows × cols pixels at `a` as rows [first, first + rows) of the list at `list`,
 * each entry's offset being its column times `ld`; rows before `first` stay as they are, and the new entries
 * follow theirs. Returns the number of entries the list then holds, or -1 when `capacity` might not hold
 * them (nothing usable is written then; the caller grows the list and lists again).
 */
export function listPixels(rows: i32, cols: i32, a: usize, ld: usize, list: usize, maxRows: i32, capacity: i32, first: i32): i32 {
  const entries = entriesAt(list, maxRows);
  const zero = i8x16.splat(0);
  const step = <i32>ld;
  const lanes = i32x4(0, step, 2 * step, 3 * step);
  const four = i32x4.splat(4 * step);
  let count = first == 0 ? 0 : <i32>((<usize>load<u32>(list + (<usize>first << 3) - 4) - entries) >> 3);
  for (let r = 0; r < rows; r++) {
    if (count > capacity - cols) return -1;
    const span = list + (<usize>(first + r) << 3);
    store<u32>(span, <u32>(entries + (<usize>count << 3)));
    const row = a + <usize>r * <usize>cols;
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      const bytes = v128.load(row + <usize>j);
      const lit = i8x16.bitmask(i8x16.ne(bytes, zero));
      // Whole vectors of zeros come in long runs (an image's margins), so this branch predicts well; within
      // a vector, every group of 4 is appended without asking which lanes are lit, which would mispredict.
      if (lit == 0) continue;
      const low = i16x8.extend_low_i8x16_u(bytes);
      const high = i16x8.extend_high_i8x16_u(bytes);
      const base = i32x4.add(i32x4.splat(j * step), lanes);
      let e = entries + (<usize>count << 3);
      count += appendLanes(e, i32x4.extend_low_i16x8_u(low), lit & 15, base);
      e = entries + (<usize>count << 3);
      count += appendLanes(e, i32x4.extend_high_i16x8_u(low), (lit >> 4) & 15, i32x4.add(base, four));
      e = entries + (<usize>count << 3);
      const eight = i32x4.add(base, i32x4.add(four, four));
      count += appendLanes(e, i32x4.extend_low_i16x8_u(high), (lit >> 8) & 15, eight);
      e = entries + (<usize>count << 3);
      count += appendLanes(e, i32x4.extend_high_i16x8_u(high), lit >> 12, i32x4.add(eight, four));
    }
    for (; j < cols; j++) {
      const p = load<u8>(row + <usize>j);
      if (p != 0) {
        const e = entries + (<usize>count << 3);
        store<u32>(e, <u32>(<usize>j * ld));
        store<f32>(e, <f32>p / 255, 4);
        count++;
      }
    }
    store<u32>(span, <u32>(entries + (<usize>count << 3)), 4);
  }
  return count;
}

/**
 * C(rows × n) = (A / 255)·B from the list of A (listed with ld = n·4), B cols × n. Returns what it read ahead
 * (of no use; returned so that the reads stay).
 */
export function gemmPixels(rows: i32, n: i32, list: usize, b: usize, c: usize): u32 {
  const ld = <usize>n << 2;
  // Rows selected from a data set's list lie anywhere in it, each a cache miss the gather would meet one at a
  // time: reading a word per cache line of every row first lets the misses overlap.
  let touched: u32 = 0;
  for (let r = 0; r < rows; r++) {
    const span = list + (<usize>r << 3);
    const end = <usize>load<u32>(span, 4);
    for (let p = <usize>load<u32>(span); p < end; p += 64) touched ^= load<u32>(p);
  }
  for (let r = 0; r < rows; r++) {
    const span = list + (<usize>r << 3);
    const begin = <usize>load<u32>(span);
    const count = <i32>((<usize>load<u32>(span, 4) - begin) >> 3);
    const out = c + <usize>r * ld;
    if (count == 0) memory.fill(out, 0, ld);
    else gatherRow(begin, count, b, out, n, false);
  }
  return touched;
}

/** Bytes of scratch gemmTNTreePixels needs. */
export function gemmTNTreePixelsScratchBytes(cols: i32, n: i32, segments: i32): i32 {
  return <i32>scatterTreeScratchBytes(cols, n, segments);
}

/**
 * C(cols × n) = Aᵀ·B tree-summed over the segments at `bounds`, A = (listed bytes) / 255 and B rows × n:
 * the first layer's weight gradient, as a scatter tree (see tree.ts).
 */
export function gemmTNTreePixels(cols: i32, n: i32, list: usize, b: usize, c: usize, bounds: usize, segments: i32, scratch: usize): void {
  scatterTree(true, cols, n, list, 0, b, c, bounds, segments, scratch);
}
