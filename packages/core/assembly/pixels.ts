// The first layer from pixel bytes. A batch's nonzero pixels are listed once a step (listPixels); its forward
// (gemmPixels) gathers weight rows row by row from that list, and its weight gradient (gemmTNTreePixels)
// scatters from the same entries, so the ~80% zero pixels are found once instead of once per product.
// A byte p stands for the float32 p / 255 (as unitBytes writes it), so the results have the bits of the
// float kernels on unitBytes' output.
//
// A list of up to maxRows rows with room for `capacity` entries lies at `list` as
//   spans      u32[2·maxRows]     row r's entries are the bytes [spans[2r], spans[2r + 1]) of memory
//   units      f32[256]           byte → byte / 255
//   entries    (u32 col·ld, f32 value)[capacity], in row order and within a row in column order
// A row's span may point into another list's entries (the host's selectRows): a batch then reads rows a
// data set's list holds, without listing them again.
import { gatherRow } from './sparse';
import { align16, scatterTree, scatterTreeScratchBytes } from './tree';

@inline
function unitsAt(list: usize, maxRows: i32): usize {
  return list + align16(<usize>maxRows << 3);
}

@inline
function entriesAt(list: usize, maxRows: i32): usize {
  return unitsAt(list, maxRows) + 1024;
}

/** Bytes of a pixel list for up to maxRows rows with room for `capacity` nonzeros. */
export function pixelListBytes(maxRows: i32, capacity: i32): i32 {
  return <i32>(entriesAt(0, maxRows) + align16(<usize>capacity << 3));
}

/**
 * Lists the nonzero bytes of rows × cols pixels at `a` as rows [first, first + rows) of the list at `list`,
 * each entry's offset being its column times `ld`; rows before `first` stay as they are, and the new entries
 * follow theirs. Returns the number of entries the list then holds, or -1 when `capacity` might not hold
 * them (nothing usable is written then; the caller grows the list and lists again).
 */
export function listPixels(rows: i32, cols: i32, a: usize, ld: usize, list: usize, maxRows: i32, capacity: i32, first: i32): i32 {
  const units = unitsAt(list, maxRows);
  const entries = entriesAt(list, maxRows);
  for (let p = 0; p < 256; p++) store<f32>(units + (<usize>p << 2), <f32>p / 255);
  const zero = i8x16.splat(0);
  let count = first == 0 ? 0 : <i32>((<usize>load<u32>(list + (<usize>first << 3) - 4) - entries) >> 3);
  for (let r = 0; r < rows; r++) {
    if (count > capacity - cols) return -1;
    const span = list + (<usize>(first + r) << 3);
    store<u32>(span, <u32>(entries + (<usize>count << 3)));
    const row = a + <usize>r * <usize>cols;
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      let mask = i8x16.bitmask(i8x16.ne(v128.load(row + <usize>j), zero));
      while (mask != 0) {
        append(j + ctz(mask), row, ld, units, entries, count);
        count++;
        mask &= mask - 1;
      }
    }
    for (; j < cols; j++) {
      if (load<u8>(row + <usize>j) != 0) {
        append(j, row, ld, units, entries, count);
        count++;
      }
    }
    store<u32>(span, <u32>(entries + (<usize>count << 3)), 4);
  }
  return count;
}

@inline
function append(col: i32, row: usize, ld: usize, units: usize, entries: usize, at: i32): void {
  const e = entries + (<usize>at << 3);
  store<u32>(e, <u32>(<usize>col * ld));
  store<f32>(e, load<f32>(units + (<usize>load<u8>(row + <usize>col) << 2)), 4);
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
