import { gatherBatchBytes, requireRow } from '../data/batch.js';
import type { Dataset } from '../data/dataset.js';
import type { Net } from '../nets/net.js';
import type { Backend, PixelList } from '../tensor/backend.js';
import { sameBits } from '../tensor/same-bits.js';

/**
 * Every row of a data set listed once (Backend.listPixels), for batches to select their rows from
 * (Backend.selectRows) instead of copying and listing them each step. MNIST's training set takes ~72 MB.
 */
export interface PixelIndex {
  readonly dataset: Dataset;
  readonly list: PixelList;
}

/** Rows listed per call while indexing: a bounded copy for backends that stage foreign bytes. */
const INDEX_CHUNK_ROWS = 1024;

/** Lists every row of `dataset` for a first layer of `width` outputs; free with backend.freePixelList. */
export function indexPixels(backend: Backend, dataset: Dataset, width: number): PixelIndex {
  const { count, features, images } = dataset;
  const list = backend.createPixelList(Math.max(count, 1), features, width);
  for (let first = 0; first < count; first += INDEX_CHUNK_ROWS) {
    const end = Math.min(count, first + INDEX_CHUNK_ROWS);
    backend.listPixels(list, images.subarray(first * features, end * features), end - first, first);
  }
  return { dataset, list };
}

/**
 * Rows of a data set copied into backend memory with their nonzero pixels listed (Backend.listPixels), as a
 * first layer reads them (Net.gradientFactored and its kin). Listing does not depend on the parameters, so a
 * process told its next rows early can list them while it waits for the update, and find them by `holds`.
 */
export class ListedRows {
  readonly labels: Int32Array;
  readonly pixels: PixelList;
  private readonly backend: Backend;
  /** The pixel bytes (an Int32Array's memory: the backend has no byte alloc). */
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  /** The indices of the last `gather` (scratch for `range`), and its data set (null after a `range`). */
  private readonly indices: Int32Array;
  private source: Dataset | null = null;

  /**
   * Room for `maxRows` rows of `net`'s input, listed for its first layer; rows of `index.dataset` are
   * selected from the index.
   */
  constructor(
    net: Net,
    maxRows: number,
    private readonly index: PixelIndex | null = null,
  ) {
    const backend = net.backend;
    const features = net.inputSize;
    this.backend = backend;
    this.labels = backend.allocInt32(maxRows);
    this.words = backend.allocInt32(Math.ceil((maxRows * features) / 4));
    this.bytes = new Uint8Array(this.words.buffer, this.words.byteOffset, maxRows * features);
    this.pixels = backend.createPixelList(maxRows, features, net.firstWidth);
    this.indices = new Int32Array(maxRows);
  }

  /** Lists rows `indices` of `dataset` (throws a DataError, holding nothing, for an index outside it). */
  gather(dataset: Dataset, indices: Int32Array): void {
    this.source = null;
    const index = this.index;
    if (index?.dataset === dataset) this.select(index, indices);
    else {
      gatherBatchBytes(dataset, indices, 0, indices.length, this.bytes, this.labels);
      this.backend.listPixels(this.pixels, this.bytes, indices.length);
    }
    this.indices.set(indices);
    this.source = dataset;
  }

  private select(index: PixelIndex, indices: Int32Array): void {
    const { count, labels } = index.dataset;
    for (let r = 0; r < indices.length; r++) {
      const row = indices[r];
      requireRow(row, count);
      this.labels[r] = labels[row];
    }
    this.backend.selectRows(this.pixels, index.list, indices, indices.length);
  }

  /** Lists rows [start, end) of `dataset`, at most maxRows of them (selected, when the index lists them). */
  range(dataset: Dataset, start: number, end: number): void {
    this.source = null;
    const index = this.index;
    if (index?.dataset === dataset) {
      const rows = this.indices.subarray(0, end - start);
      for (let r = 0; r < rows.length; r++) rows[r] = start + r;
      this.select(index, rows);
      return;
    }
    const { features } = dataset;
    this.bytes.set(dataset.images.subarray(start * features, end * features));
    this.labels.set(dataset.labels.subarray(start, end));
    this.backend.listPixels(this.pixels, this.bytes, end - start);
  }

  /** Whether the rows listed are those `gather` would list for `dataset` and `indices`. */
  holds(dataset: Dataset, indices: Int32Array): boolean {
    return this.source === dataset && sameBits(indices, this.indices.subarray(0, this.pixels.rows));
  }

  /** Gives the buffers back to the backend; unusable afterwards. */
  dispose(): void {
    this.backend.free(this.labels);
    this.backend.free(this.words);
    this.backend.freePixelList(this.pixels);
  }
}

/**
 * The rows a pass reads, and a spare that `stage` lists a later pass's rows into ahead of time; `take` swaps
 * the two when the spare holds the rows asked for. Rows a pass was given stay listed until the next `take`.
 */
export class StagedRows {
  private current: ListedRows | null = null;
  private spare: ListedRows | null = null;

  constructor(
    private readonly net: Net,
    private readonly maxRows: number,
    private readonly index: PixelIndex | null = null,
  ) {}

  /** Lists rows `indices` of `dataset` into the spare, for a `take` of the same rows. */
  stage(dataset: Dataset, indices: Int32Array): void {
    this.spare ??= new ListedRows(this.net, this.maxRows, this.index);
    this.spare.gather(dataset, indices);
  }

  /** Rows `indices` of `dataset` listed: the staged ones when they are these, else listed now. */
  take(dataset: Dataset, indices: Int32Array): ListedRows {
    const spare = this.spare;
    if (spare?.holds(dataset, indices)) {
      this.spare = this.current;
      this.current = spare;
      return spare;
    }
    const current = this.own();
    current.gather(dataset, indices);
    return current;
  }

  /** The rows in use, to list other rows into (an evaluation's ranges); the spare is left alone. */
  own(): ListedRows {
    this.current ??= new ListedRows(this.net, this.maxRows, this.index);
    return this.current;
  }

  dispose(): void {
    this.current?.dispose();
    this.spare?.dispose();
  }
}
