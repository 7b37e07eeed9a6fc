import { gatherBatchBytes } from '../data/batch.js';
import type { Dataset } from '../data/dataset.js';
import type { Net } from '../nets/net.js';
import { Rng } from '../rng.js';
import type { Backend } from '../tensor/backend.js';
import { pairwiseSplit } from '../tensor/pairwise.js';
import { type PixelIndex, StagedRows } from './listed-rows.js';
import type { NodeThread } from './node-thread.js';
import { isTreeNode } from './shard-tree.js';
import type { ShardRange } from './shards.js';

/** The sums over one node of micro-shards (or one shard), with the net's parameters of that step. */
export interface ShardGradient {
  readonly rows: number;
  readonly lossSum: number;
  readonly correct: number;
  /** Σ of per-sample gradients: a buffer of the computer's or net's, valid until the next call. */
  readonly grad: Float32Array;
  /** Batch-norm statistics sums, likewise valid until the next call. */
  readonly stats: Float32Array;
  /**
   * When computed factored: the first layer's factor (rows × width, see Net.factors), and `grad` holds only
   * the values past the first layer's weights. Likewise valid until the next call.
   */
  readonly factor?: Float32Array;
}

/** A batch's rows as floats for one shard at a time, with their labels and the bytes they are scaled from. */
interface FloatRows {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly words: Int32Array;
  readonly bytes: Uint8Array;
}

/**
 * The sums of a node from those of its two children, as the tree adds them: `right`'s are added into `left`'s
 * buffers, which the result holds.
 */
function addChildren(backend: Backend, left: ShardGradient, right: ShardGradient): ShardGradient {
  backend.axpy(left.grad.length, 1, right.grad, left.grad);
  return joinChildren(left, right, left.grad);
}

/** A node's counts and statistics from its two children's (right's statistics added into left's), with `grad`. */
function joinChildren(left: ShardGradient, right: ShardGradient, grad: Float32Array): ShardGradient {
  for (let i = 0; i < left.stats.length; i++) left.stats[i] += right.stats[i];
  return {
    rows: left.rows + right.rows,
    lossSum: left.lossSum + right.lossSum,
    correct: left.correct + right.correct,
    grad,
    stats: left.stats,
  };
}

/**
 * Plain SGD applied from a node's sums: mean = sum / divisor, then params += a·mean (a = −lr), as
 * Sgd.updateMean does it and with its bits. With a second thread, each thread does half of the parameters.
 */
export interface SumUpdate {
  readonly divisor: number;
  readonly a: number;
  /** Where the mean goes (net.grads, as applyStep leaves it). */
  readonly mean: Float32Array;
}

/** Where two threads split the parameters of an update: a cache line (16 floats) boundary near the middle. */
function updateSplit(length: number): number {
  return Math.min(length, 16 * Math.round(length / 32));
}

export interface ShardComputerOptions {
  /** Nodes leave the first layer's weight gradient as its factor (Net.gradientFactored). */
  readonly factored?: boolean;
  /**
   * Computes each node's second child while this thread computes the first (whole gradients only); the
   * computer owns it and disposes it.
   */
  readonly secondThread?: NodeThread | null;
  /** Training rows are selected from this list of them (see PixelIndex); the caller owns it. */
  readonly pixelIndex?: PixelIndex | null;
}

/** Forward-only counts over a range of a data set. */
export interface EvalCounts {
  readonly rows: number;
  readonly lossSum: number;
  readonly correct: number;
}

export type ShardComputerErrorCode =
  | 'ERR_SHARD_DATASET'
  | 'ERR_SHARD_ROWS'
  | 'ERR_SHARD_ID'
  | 'ERR_SHARD_NODE';

export class ShardComputerError extends Error {
  readonly code: ShardComputerErrorCode;

  constructor(code: ShardComputerErrorCode, message: string) {
    super(message);
    this.name = 'ShardComputerError';
    this.code = code;
  }
}

/**
 * The worker's half of a step, free of any transport: gathers the rows of a node of micro-shards into
 * preallocated backend buffers and runs forward and backward. A net whose layers treat rows independently
 * does the whole node in one pass (the kernels sum per shard and add along the tree); others run shard by
 * shard and add the sums along the same tree here. Dropout draws come from Rng.derive(seed, step, shard), so
 * a node gives the same bytes on whichever worker computes it, and again when it is recomputed.
 */
export class ShardComputer {
  readonly net: Net;
  readonly train: Dataset;
  readonly seed: number;
  readonly ranges: readonly ShardRange[];
  /** Row offsets of the node's shards, relative to its first row. */
  private readonly bounds: Int32Array;
  /** Per tree level, the sums of a node computed shard by shard (allocated on first use). */
  private readonly levels: { grad: Float32Array; stats: Float32Array }[] = [];
  /**
   * For nets that run one shard at a time: the rows as floats, their labels, and the raw pixel bytes before
   * scaling (an Int32Array's memory: the backend has no byte alloc). Made on first use.
   */
  private floatRows: FloatRows | null = null;
  /** The listed rows a segmented pass or an evaluation reads, and those listed ahead by `stage`. */
  private readonly listed: StagedRows;
  /** With factored nodes: the gradient past the first layer's weights, a view of net.grads. */
  private readonly rest: Float32Array | null;
  private readonly secondThread: NodeThread | null;

  constructor(
    net: Net,
    train: Dataset,
    seed: number,
    ranges: readonly ShardRange[],
    options: ShardComputerOptions = {},
  ) {
    requireFits(net, train, 'training');
    const { factored = false, secondThread = null } = options;
    if (factored && net.factors === null) {
      throw new ShardComputerError(
        'ERR_SHARD_NODE',
        "this net's first-layer gradient cannot be left as factors: it needs layers that treat rows independently",
      );
    }
    if (factored && secondThread !== null) {
      secondThread.dispose();
      throw new ShardComputerError(
        'ERR_SHARD_NODE',
        'a second thread computes whole gradients, not factors: use it with the params exchange',
      );
    }
    this.rest = factored && net.factors !== null ? net.grads.subarray(net.factors.weights) : null;
    this.secondThread = secondThread;
    this.net = net;
    this.train = train;
    this.seed = seed;
    this.ranges = ranges;
    this.bounds = new Int32Array(ranges.length + 1);
    this.listed = new StagedRows(net, net.maxRows, options.pixelIndex ?? null);
  }

  /**
   * The sums of node [first, end) of the shard tree at `step`, over the training rows `indices` (the node's
   * slice of the batch), with the net's current parameters. With `update`, also applies it to the parameters
   * (after the sums are taken), and `grad` is the mean it applied.
   */
  computeNode(
    step: number,
    first: number,
    end: number,
    indices: Int32Array,
    update?: SumUpdate,
  ): ShardGradient {
    const rows = this.nodeRows(first, end);
    if (rows === null) {
      throw new ShardComputerError(
        'ERR_SHARD_NODE',
        `shards [${first}, ${end}) are not a node of the pairwise tree over ${this.ranges.length} shards`,
      );
    }
    if (indices.length !== rows) {
      throw new ShardComputerError(
        'ERR_SHARD_ROWS',
        `shards [${first}, ${end}) hold ${rows} rows of the batch, but ${indices.length} indices were given`,
      );
    }
    const thread = this.secondThread;
    if (thread !== null && end - first > 1)
      return this.computeSplit(step, first, end, indices, thread, update);
    const sums = this.computeHere(step, first, end, rows, indices);
    if (update === undefined) return sums;
    const { params, backend } = this.net;
    backend.divideAxpy(params.length, sums.grad, update.divisor, update.a, update.mean, params);
    return { ...sums, grad: update.mean };
  }

  /**
   * Node [first, end) as its two children, the second on the second thread, added as the tree adds them; with
   * `update`, each thread adds, divides and updates half of the parameters.
   */
  private computeSplit(
    step: number,
    first: number,
    end: number,
    indices: Int32Array,
    thread: NodeThread,
    update: SumUpdate | undefined,
  ): ShardGradient {
    const split = first + pairwiseSplit(end - first);
    const leftRows = this.ranges[split].start - this.ranges[first].start;
    thread.begin(step, split, end, indices.subarray(leftRows));
    let left: ShardGradient;
    try {
      left = this.computeHere(step, first, split, leftRows, indices.subarray(0, leftRows));
    } catch (error) {
      thread.abandon();
      throw error;
    }
    const right = thread.finish();
    if (update === undefined) return addChildren(this.net.backend, left, right);
    const { params, backend } = this.net;
    const half = updateSplit(params.length);
    thread.beginUpdate(half, params.length, left.grad, update);
    try {
      backend.axpy(half, 1, right.grad, left.grad);
      backend.divideAxpy(half, left.grad, update.divisor, update.a, update.mean, params);
    } catch (error) {
      thread.abandon();
      throw error;
    }
    thread.finishUpdate();
    return joinChildren(left, right, update.mean);
  }

  /** Node [first, end), a node of `rows` rows, in this thread. */
  private computeHere(
    step: number,
    first: number,
    end: number,
    rows: number,
    indices: Int32Array,
  ): ShardGradient {
    const start = this.ranges[first].start;
    if (!this.net.segmentable) {
      return first + 1 === end
        ? this.computeGradient(step, first, indices)
        : this.addShards(step, first, end - first, indices, start, 0);
    }
    this.requireRows(rows);
    for (let s = first; s <= end; s++)
      this.bounds[s - first] = (s < end ? this.ranges[s].start : this.ranges[end - 1].end) - start;
    const { pixels, labels } = this.listed.take(this.train, indices);
    if (this.rest !== null) {
      const out = this.net.gradientFactored(pixels, labels, rows, this.bounds, end - first);
      const { lossSum, correct, factor } = out;
      return { rows, lossSum, correct, grad: this.rest, stats: this.net.statsSum, factor };
    }
    const { lossSum, correct } = this.net.gradientSegmented(pixels, labels, rows, this.bounds, end - first);
    return { rows, lossSum, correct, grad: this.net.grads, stats: this.net.statsSum };
  }

  /**
   * Lists the training rows `indices` now, for a later node over the same rows (`computeNode` then skips
   * gathering and listing them). Only nets that run a node in one pass (`segmentable`) read listed rows.
   */
  stage(indices: Int32Array): void {
    if (!this.net.segmentable) return;
    this.requireRows(indices.length);
    this.listed.stage(this.train, indices);
  }

  /** The batch rows node [first, end) covers, or null when it is not a node of this run's shard tree. */
  nodeRows(first: number, end: number): number | null {
    if (!isTreeNode(first, end, this.ranges.length)) return null;
    return this.ranges[end - 1].end - this.ranges[first].start;
  }

  /** Node (first, count) shard by shard, its sums added along the tree into levels[level]. */
  private addShards(
    step: number,
    first: number,
    count: number,
    indices: Int32Array,
    start: number,
    level: number,
  ): ShardGradient {
    const into = this.level(level);
    if (count === 1) {
      const r = this.ranges[first];
      const out = this.computeGradient(step, first, indices.subarray(r.start - start, r.end - start));
      into.grad.set(out.grad);
      into.stats.set(out.stats);
      return { ...out, grad: into.grad, stats: into.stats };
    }
    const split = pairwiseSplit(count);
    const left = this.addShards(step, first, split, indices, start, level);
    const right = this.addShards(step, first + split, count - split, indices, start, level + 1);
    return addChildren(this.net.backend, left, right);
  }

  private level(level: number): { grad: Float32Array; stats: Float32Array } {
    let buffers = this.levels[level];
    if (buffers === undefined) {
      buffers = {
        grad: this.net.backend.alloc(this.net.params.length),
        stats: new Float32Array(this.net.stats.length),
      };
      this.levels[level] = buffers;
    }
    return buffers;
  }

  /** Forward and backward over the training rows `indices` of one shard, with the net's current params. */
  computeGradient(step: number, shard: number, indices: Int32Array): ShardGradient {
    if (!Number.isSafeInteger(step) || step < 0 || !Number.isSafeInteger(shard) || shard < 0) {
      throw new ShardComputerError(
        'ERR_SHARD_ID',
        `step and shard must be integers ≥ 0, got step ${step}, shard ${shard}`,
      );
    }
    const rows = indices.length;
    this.requireRows(rows);
    const { x, labels, bytes } = this.ownFloatRows();
    gatherBatchBytes(this.train, indices, 0, rows, bytes, labels);
    this.net.backend.unitBytes(bytes, rows * this.net.inputSize, x);
    const { lossSum, correct } = this.net.gradientSum(x, labels, rows, Rng.derive(this.seed, step, shard));
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
    const listed = this.listed.own();
    for (let from = start; from < end; from += this.net.maxRows) {
      const to = Math.min(end, from + this.net.maxRows);
      listed.range(dataset, from, to);
      const outcome = this.net.evaluateListed(listed.pixels, listed.labels, to - from);
      lossSum += outcome.lossSum;
      correct += outcome.correct;
    }
    return { rows: end - start, lossSum, correct };
  }

  /** Gives the gather buffers back to the backend and stops the second thread; unusable afterwards. */
  dispose(): void {
    this.secondThread?.dispose();
    const rows = this.floatRows;
    if (rows !== null) for (const buffer of [rows.x, rows.labels, rows.words]) this.net.backend.free(buffer);
    this.listed.dispose();
    for (const { grad } of this.levels) this.net.backend.free(grad);
  }

  private ownFloatRows(): FloatRows {
    if (this.floatRows === null) {
      const { backend, maxRows, inputSize } = this.net;
      const words = backend.allocInt32(Math.ceil((maxRows * inputSize) / 4));
      this.floatRows = {
        x: backend.alloc(maxRows * inputSize),
        labels: backend.allocInt32(maxRows),
        words,
        bytes: new Uint8Array(words.buffer, words.byteOffset, maxRows * inputSize),
      };
    }
    return this.floatRows;
  }

  private requireRows(rows: number): void {
    if (rows < 1 || rows > this.net.maxRows) {
      throw new ShardComputerError(
        'ERR_SHARD_ROWS',
        `a node of shards must have between 1 and ${this.net.maxRows} rows (the net's maxRows), got ${rows}; ` +
          'build the net with maxRows ≥ the batch size',
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
