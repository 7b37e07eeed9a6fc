import { describe, expect, it } from 'vitest';
import { JsBackend } from '../tensor/js-backend.js';
import { gatherBatch, gatherBatchBytes, gatherRange, PIXEL_TO_UNIT } from './batch.js';
import type { Dataset } from './dataset.js';

const dataset: Dataset = {
  count: 4,
  rows: 1,
  cols: 3,
  features: 3,
  classes: 10,
  images: Uint8Array.from([0, 1, 2, 10, 11, 12, 100, 128, 255, 7, 8, 9]),
  labels: Uint8Array.from([3, 1, 4, 1]),
};

describe('PIXEL_TO_UNIT', () => {
  it('holds the correctly rounded float32 of b / 255, with 0 and 255 exact', () => {
    for (let b = 0; b < 256; b++) expect(PIXEL_TO_UNIT[b]).toBe(Math.fround(b / 255));
    expect([PIXEL_TO_UNIT[0], PIXEL_TO_UNIT[255]]).toEqual([0, 1]);
  });

  it('differs from multiplying by 1/255 for some bytes, which is why the formula is fixed here', () => {
    const viaReciprocal = (b: number) => Math.fround(Math.fround(b) * Math.fround(1 / 255));
    expect(Array.from({ length: 256 }, (_, b) => b).some((b) => viaReciprocal(b) !== PIXEL_TO_UNIT[b])).toBe(
      true,
    );
  });
});

describe('gatherBatch', () => {
  it('copies the chosen rows, scaled, and their labels to the start of the buffers', () => {
    const x = new Float32Array(6).fill(-1);
    const labels = new Int32Array(2).fill(-1);
    gatherBatch(dataset, Int32Array.from([9, 2, 0, 9]), 1, 3, x, labels);
    expect(Array.from(x)).toEqual([100, 128, 255, 0, 1, 2].map((b) => Math.fround(b / 255)));
    expect(Array.from(labels)).toEqual([4, 3]);
  });

  it('repeats a row drawn twice (sampling with replacement)', () => {
    const x = new Float32Array(6);
    const labels = new Int32Array(2);
    gatherBatch(dataset, Int32Array.from([1, 1]), 0, 2, x, labels);
    expect(Array.from(x.subarray(0, 3))).toEqual(Array.from(x.subarray(3)));
  });

  it('refuses a sample index outside the data set', () => {
    expect(() =>
      gatherBatch(dataset, Int32Array.from([4]), 0, 1, new Float32Array(3), new Int32Array(1)),
    ).toThrow(/Sample index 4 is outside the data set's 4 rows/);
  });

  it('refuses buffers too small for the rows', () => {
    expect(() =>
      gatherBatch(dataset, Int32Array.from([0, 1]), 0, 2, new Float32Array(5), new Int32Array(2)),
    ).toThrow(/Buffers too small/);
  });
});

describe('gatherRange', () => {
  it('copies contiguous rows for evaluation', () => {
    const x = new Float32Array(6);
    const labels = new Int32Array(2);
    gatherRange(dataset, 2, 4, x, labels);
    expect(Array.from(x)).toEqual([100, 128, 255, 7, 8, 9].map((b) => Math.fround(b / 255)));
    expect(Array.from(labels)).toEqual([4, 1]);
  });

  it('refuses a range past the end', () => {
    expect(() => gatherRange(dataset, 3, 5, new Float32Array(6), new Int32Array(2))).toThrow(
      /\[3, 5\) is not within the 4 rows/,
    );
  });
});

describe('gatherBatchBytes', () => {
  it('copies the chosen rows as bytes, which unitBytes scales to exactly what gatherBatch gives', () => {
    const indices = Int32Array.from([2, 0, 3]);
    const x = new Float32Array(9);
    const labels = new Int32Array(3);
    gatherBatch(dataset, indices, 0, 3, x, labels);
    const bytes = new Uint8Array(9);
    const byteLabels = new Int32Array(3);
    gatherBatchBytes(dataset, indices, 0, 3, bytes, byteLabels);
    expect(Array.from(bytes)).toEqual([100, 128, 255, 0, 1, 2, 7, 8, 9]);
    expect(Array.from(byteLabels)).toEqual(Array.from(labels));
    const scaled = new Float32Array(9);
    new JsBackend().unitBytes(bytes, 9, scaled);
    expect(Array.from(scaled)).toEqual(Array.from(x));
  });

  it('refuses an index outside the data set and buffers too small', () => {
    expect(() =>
      gatherBatchBytes(dataset, Int32Array.from([4]), 0, 1, new Uint8Array(3), new Int32Array(1)),
    ).toThrow(/outside/);
    expect(() =>
      gatherBatchBytes(dataset, Int32Array.from([0, 1]), 0, 2, new Uint8Array(5), new Int32Array(2)),
    ).toThrow(/too small/);
  });
});
