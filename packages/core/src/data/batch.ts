import { DataError, DataErrorCode } from './data-error.js';
import type { Dataset } from './dataset.js';

/**
 * Pixel byte b becomes the float32 nearest to b / 255 (IEEE division, correctly rounded: the same value
 * numpy's `x.astype(np.float32) / 255` and a wasm f32.div give). A table makes it one load per pixel and
 * the same bits on every machine; backends that scale pixels themselves must use this table.
 */
export const PIXEL_TO_UNIT: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let b = 0; b < 256; b++) table[b] = b / 255;
  return table;
})();

/**
 * Copies rows indices[from..to) of `dataset` into `x` (row-major, pixels scaled to [0, 1]) and their labels
 * into `labels`, starting at row 0 of both. Allocates nothing: it runs for every micro-shard.
 */
export function gatherBatch(
  dataset: Dataset,
  indices: Int32Array,
  from: number,
  to: number,
  x: Float32Array,
  labels: Int32Array,
): void {
  checkSpan(from, to, indices.length, 'indices', x, labels, dataset.features);
  const { images, features, count } = dataset;
  for (let r = 0; r < to - from; r++) {
    const row = indices[from + r] as number;
    requireRow(row, count);
    copyRow(images, row * features, x, r * features, features);
    labels[r] = dataset.labels[row] as number;
  }
}

/** Rows [start, end) of `dataset` into `x` and `labels`, for evaluation over the whole split in chunks. */
export function gatherRange(
  dataset: Dataset,
  start: number,
  end: number,
  x: Float32Array,
  labels: Int32Array,
): void {
  checkSpan(start, end, dataset.count, 'rows', x, labels, dataset.features);
  const { images, features } = dataset;
  for (let r = 0; r < end - start; r++) {
    copyRow(images, (start + r) * features, x, r * features, features);
    labels[r] = dataset.labels[start + r] as number;
  }
}

/**
 * gatherBatch's rows as raw bytes, for a backend to scale (Backend.unitBytes): whole-row copies instead of a
 * lookup per pixel. Same checks; allocates only the row views it copies from.
 */
export function gatherBatchBytes(
  dataset: Dataset,
  indices: Int32Array,
  from: number,
  to: number,
  bytes: Uint8Array,
  labels: Int32Array,
): void {
  const { images, features, count } = dataset;
  checkSpan(from, to, indices.length, 'indices', bytes, labels, features);
  for (let r = 0; r < to - from; r++) {
    const row = indices[from + r] as number;
    requireRow(row, count);
    bytes.set(images.subarray(row * features, (row + 1) * features), r * features);
    labels[r] = dataset.labels[row] as number;
  }
}

/** Refuses a sample index outside a data set of `count` rows. */
export function requireRow(row: number, count: number): void {
  if (!(row >= 0 && row < count)) {
    throw new DataError(
      DataErrorCode.badRange,
      `Sample index ${row} is outside the data set's ${count} rows.`,
    );
  }
}

function copyRow(images: Uint8Array, from: number, x: Float32Array, to: number, features: number): void {
  for (let j = 0; j < features; j++) x[to + j] = PIXEL_TO_UNIT[images[from + j] as number] as number;
}

function checkSpan(
  from: number,
  to: number,
  limit: number,
  what: string,
  x: Float32Array | Uint8Array,
  labels: Int32Array,
  features: number,
): void {
  const rows = to - from;
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= limit)) {
    throw new DataError(DataErrorCode.badRange, `Range [${from}, ${to}) is not within the ${limit} ${what}.`);
  }
  if (x.length < rows * features || labels.length < rows) {
    throw new DataError(
      DataErrorCode.badRange,
      `Buffers too small for ${rows} rows of ${features} features: x holds ${x.length} values, labels ${labels.length}.`,
    );
  }
}
