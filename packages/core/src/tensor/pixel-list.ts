import type { PixelList } from './backend.js';

/** Refuses a pixel list shape that is not positive integers. */
export function checkPixelListShape(maxRows: number, cols: number, n: number): void {
  for (const [name, value] of [
    ['maxRows', maxRows],
    ['cols', cols],
    ['n', n],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`createPixelList: ${name} must be a positive integer, got ${value}`);
  }
}

/**
 * Refuses to list rows past those the list was made for, more than `a` holds, or from a `first` row that
 * would leave rows unlisted before it.
 */
export function checkListedRows(list: PixelList, a: Uint8Array, rows: number, first: number): void {
  if (!Number.isInteger(first) || first < 0 || first > list.rows)
    throw new RangeError(
      `listPixels: first must be an integer in [0, ${list.rows}] (the rows listed), got ${first}`,
    );
  if (!Number.isInteger(rows) || rows < 0 || first + rows > list.maxRows)
    throw new RangeError(
      `listPixels: rows must be an integer in [0, ${list.maxRows - first}] from row ${first}, got ${rows}`,
    );
  if (a.length < rows * list.cols)
    throw new RangeError(
      `listPixels: ${rows} rows of ${list.cols} pixels need ${rows * list.cols} bytes, the array holds ${a.length}`,
    );
}

/** Refuses a selection of rows the lists cannot hold or that `from` has not listed. */
export function checkSelectedRows(into: PixelList, from: PixelList, indices: Int32Array, rows: number): void {
  if (into.cols !== from.cols || into.n !== from.n)
    throw new RangeError(
      `selectRows: lists of ${into.cols} pixels for ${into.n} outputs and of ${from.cols} for ${from.n} do not match`,
    );
  if (!Number.isInteger(rows) || rows < 0 || rows > into.maxRows || rows > indices.length)
    throw new RangeError(
      `selectRows: rows must be an integer in [0, ${Math.min(into.maxRows, indices.length)}], got ${rows}`,
    );
  for (let r = 0; r < rows; r++) {
    const row = indices[r];
    if (!(row >= 0 && row < from.rows))
      throw new RangeError(`selectRows: row ${row} is not one of the ${from.rows} rows the list holds`);
  }
}
