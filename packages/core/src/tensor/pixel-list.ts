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

/** Refuses to list more rows than the list was made for, or more than `a` holds. */
export function checkListedRows(list: PixelList, a: Uint8Array, rows: number): void {
  if (!Number.isInteger(rows) || rows < 0 || rows > list.maxRows)
    throw new RangeError(`listPixels: rows must be an integer in [0, ${list.maxRows}], got ${rows}`);
  if (a.length < rows * list.cols)
    throw new RangeError(
      `listPixels: ${rows} rows of ${list.cols} pixels need ${rows * list.cols} bytes, the array holds ${a.length}`,
    );
}
