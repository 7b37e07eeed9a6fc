import { gatherBatchBytes } from '../data/batch.js';
import type { Dataset } from '../data/dataset.js';
import type { Net } from '../nets/net.js';
import { Rng } from '../rng.js';

/** One micro-shard's sums over its rows, with the net's parameters of that step. */
export interface ShardGradient {
  readonly rows: number;
  readonly lossSum: number;
  readonly correct: number;
  /** Σ of per-sample gradients: a view of `net.grads`, valid until the next call. */
  readonly grad: Float32Array;
  /** Batch-norm statistics sums: a view of `net.statsSum`, valid until the next call. */
  readonly stats: Float32Array;
}

/** Forward-only counts over a range of a data set. */
export interface EvalCounts {
  readonly rows: number;
  readonly lossSum: number;
  readonly correct: number;
}

export type ShardComputerErrorCode = 'ERR_SHARD_DATASET' | 'ERR_SHARD_ROWS' | 'ERR_SHARD_ID';

export class ShardComputerError extends Error {
  readonly code: ShardComputerErrorCode;

  constructor(code: ShardComputerErrorCode, message: string) {
    super(message);
    this.name = 'ShardComputerError';
    this.code = code;
  }
}

/**
 * The worker's half of a step, free of any transport: gathers a micro-shard's rows into preallocated backend
 * buffers and runs forward and backward. Dropout draws come from Rng.derive(seed, step, shard), so a shard
 * gives the same bytes on whichever worker computes it, and again when it is recomputed.
 */
export class ShardComputer {
  readonly net: Net;
  readonly train: Dataset;
  readonly seed: number;
  private readonly x: Float32Array;
  private readonly labels: Int32Array;
  /** Raw pixel rows before scaling, in backend memory (an Int32Array's bytes: the backend has no byte alloc). */
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;

  constructor(net: Net, train: Dataset, seed: number) {
    requireFits(net, train, 'training');
    this.net = net;
    this.train = train;
    this.seed = seed;
    this.x = net.backend.alloc(net.maxRows * net.inputSize);
    this.labels = net.backend.allocInt32(net.maxRows);
    const byteCount = net.maxRows * net.inputSize;
    this.words = net.backend.allocInt32(Math.ceil(byteCount / 4));
    this.bytes = new Uint8Array(this.words.buffer, this.words.byteOffset, byteCount);
  }

  /** Forward and backward over the training rows `indices` for (step, shard), with the net's current params. */
  computeGradient(step: number, shard: number, indices: Int32Array): ShardGradient {
    if (!Number.isSafeInteger(step) || step < 0 || !Number.isSafeInteger(shard) || shard < 0) {
      throw new ShardComputerError(
        'ERR_SHARD_ID',
        `step and shard must be integers ≥ 0, got step ${step}, shard ${shard}`,
      );
    }
    const rows = indices.length;
    this.requireRows(rows);
    gatherBatchBytes(this.train, indices, 0, rows, this.bytes, this.labels);
    this.net.backend.unitBytes(this.bytes, rows * this.net.inputSize, this.x);
    const { lossSum, correct } = this.net.gradientSum(
      this.x,
      this.labels,
      rows,
      Rng.derive(this.seed, step, shard),
    );
    return { rows, lossSum, correct, grad: this.net.grads, stats: this.net.statsSum };
  }

  /** Eval-mode loss sum and correct count over rows [start, end) of `dataset`, in chunks of net.maxRows. */
  evaluate(dataset: Dataset, start = 0, end = dataset.count): EvalCounts {
    requireFits(this.net, dataset, 'evaluation');
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(end) ||
      start < 0 ||
      start > end ||
      end > dataset.count
    ) {
      throw new ShardComputerError(
        'ERR_SHARD_ROWS',
        `evaluation range [${start}, ${end}) is not within the data set's ${dataset.count} rows`,
      );
    }
    let lossSum = 0;
    let correct = 0;
    for (let from = start; from < end; from += this.net.maxRows) {
      const to = Math.min(end, from + this.net.maxRows);
      const features = dataset.features;
      this.net.backend.unitBytes(
        dataset.images.subarray(from * features, to * features),
        (to - from) * features,
        this.x,
      );
      this.labels.set(dataset.labels.subarray(from, to));
      const outcome = this.net.evaluate(this.x, this.labels, to - from);
      lossSum += outcome.lossSum;
      correct += outcome.correct;
    }
    return { rows: end - start, lossSum, correct };
  }

  /** Gives the gather buffers back to the backend; the computer is unusable afterwards. */
  dispose(): void {
    this.net.backend.free(this.x);
    this.net.backend.free(this.labels);
    this.net.backend.free(this.words);
  }

  private requireRows(rows: number): void {
    if (rows < 1 || rows > this.net.maxRows) {
      throw new ShardComputerError(
        'ERR_SHARD_ROWS',
        `a shard must have between 1 and ${this.net.maxRows} rows (the net's maxRows), got ${rows}; ` +
          'build the net with maxRows ≥ ceil(batch / shards)',
      );
    }
  }
}

function requireFits(net: Net, dataset: Dataset, use: string): void {
  if (dataset.features !== net.inputSize || dataset.classes > net.outputSize) {
    throw new ShardComputerError(
      'ERR_SHARD_DATASET',
      `the ${use} data has ${dataset.features} features and ${dataset.classes} classes, but the net takes ` +
        `${net.inputSize} inputs and has ${net.outputSize} outputs`,
    );
  }
}
