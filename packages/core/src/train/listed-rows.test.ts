import { describe, expect, it } from 'vitest';
import { DataError } from '../data/data-error.js';
import { MultiLayerNet } from '../nets/multi-layer-net.js';
import { WasmBackend } from '../tensor/wasm-backend.js';
import { ListedRows, StagedRows } from './listed-rows.js';
import { imageSet, smallNet, syntheticDataset } from './test-fixtures.js';

const net = smallNet();

describe('ListedRows', () => {
  it('holds the rows of its last gather of that data set, and nothing after a range', () => {
    const data = syntheticDataset(40, 1);
    const other = syntheticDataset(40, 2);
    const rows = new ListedRows(net, 8);
    const indices = Int32Array.of(3, 9, 27, 1);
    rows.gather(data, indices);
    expect(rows.holds(data, indices)).toBe(true);
    expect(rows.holds(data, Int32Array.of(3, 9, 27, 2))).toBe(false);
    expect(rows.holds(data, Int32Array.of(3, 9, 27))).toBe(false);
    expect(rows.holds(other, indices)).toBe(false);
    expect(Array.from(rows.labels.subarray(0, 4))).toEqual(Array.from(indices, (i) => data.labels[i]));
    rows.range(data, 3, 7);
    expect(rows.holds(data, indices)).toBe(false);
    expect(rows.pixels.rows).toBe(4);
  });

  it('holds nothing after a gather refused for an index outside the data', () => {
    const data = syntheticDataset(40, 1);
    const rows = new ListedRows(net, 8);
    rows.gather(data, Int32Array.of(1, 2));
    expect(() => rows.gather(data, Int32Array.of(1, 40))).toThrow(DataError);
    expect(rows.holds(data, Int32Array.of(1, 2))).toBe(false);
    expect(rows.holds(data, Int32Array.of(1, 40))).toBe(false);
  });
});

describe('StagedRows', () => {
  it('takes the staged rows when they are the ones asked for, and lists others afresh', () => {
    const wasmNet = new MultiLayerNet(new WasmBackend(), {
      inputSize: 64,
      hiddenSizes: [10],
      outputSize: 10,
      dropout: 0,
      batchNorm: false,
      weightDecay: 0,
      seed: 3,
      maxRows: 6,
    });
    const data = imageSet(50, 64, 0.3, 2);
    const staged = new StagedRows(wasmNet, 6);
    const first = Int32Array.of(4, 8, 15, 16, 23, 42);
    const next = Int32Array.of(1, 2, 3, 5, 8, 13);
    const current = staged.take(data, first);
    staged.stage(data, next);
    const taken = staged.take(data, next);
    expect(taken).not.toBe(current);
    expect(taken.holds(data, next)).toBe(true);
    // The rows the last pass read stay listed while others are staged.
    staged.stage(data, first);
    expect(taken.holds(data, next)).toBe(true);
    const fresh = staged.take(data, Int32Array.of(0, 1, 2, 3, 4, 5));
    expect(fresh).toBe(taken);
    expect(fresh.holds(data, Int32Array.of(0, 1, 2, 3, 4, 5))).toBe(true);
  });
});
