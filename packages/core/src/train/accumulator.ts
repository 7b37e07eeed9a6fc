import type { Backend } from '../tensor/backend.js';
import { pairwiseSplit } from '../tensor/pairwise.js';
import { isTreeNode } from './shard-tree.js';

/** The sums of one whole step: every micro-shard added along the pairwise tree. */
export interface StepSums {
  /** Σ over the batch of per-sample gradients (not yet divided by the batch size). */
  readonly gradSum: Float32Array;
  /** Σ over shards of the batch-norm statistics sums (empty without batch norm). */
  readonly statsSum: Float32Array;
  readonly lossSum: number;
  readonly correct: number;
  readonly rows: number;
}

export type AccumulatorErrorCode =
  | 'ERR_ACCUMULATOR_SIZE'
  | 'ERR_ACCUMULATOR_RESULT'
  | 'ERR_ACCUMULATOR_INCOMPLETE';

export class AccumulatorError extends Error {
  readonly code: AccumulatorErrorCode;

  constructor(code: AccumulatorErrorCode, message: string) {
    super(message);
    this.name = 'AccumulatorError';
    this.code = code;
  }
}

/** One node's sums, held until the step is complete. */
interface Held {
  end: number;
  readonly grad: Float32Array;
  readonly stats: Float32Array;
  lossSum: number;
  correct: number;
  rows: number;
}

/**
 * Adds the sums of a step's nodes of micro-shards (see shard-tree.ts) into one total along the fixed pairwise
 * tree, whatever order they arrive in and however the shards were grouped into nodes. Float addition is not
 * associative; this fixed tree is what makes the sum, and so the weights, independent of the number of
 * workers and of which finished first. Each shard counts once: a node that overlaps one already accepted, or
 * is not a node of the tree, is refused and changes nothing.
 */
export class StepAccumulator {
  readonly paramCount: number;
  readonly statsCount: number;
  readonly shards: number;
  private readonly backend: Backend | undefined;
  /** Nodes accepted this step, by first shard; buffers are allocated on first use and reused every step. */
  private readonly held: (Held | undefined)[];
  private readonly live: Uint8Array;
  private readonly covered: Uint8Array;
  private coveredCount = 0;
  private total: Held | null = null;

  /** With `backend`, node sums live in its memory and are added by its axpy (a = 1: the same bits, faster). */
  constructor(paramCount: number, statsCount: number, shards: number, backend?: Backend) {
    for (const [name, value, min] of [
      ['paramCount', paramCount, 1],
      ['statsCount', statsCount, 0],
      ['shards', shards, 1],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < min) {
        throw new AccumulatorError(
          'ERR_ACCUMULATOR_SIZE',
          `${name} must be an integer ≥ ${min}, got ${value}`,
        );
      }
    }
    this.paramCount = paramCount;
    this.statsCount = statsCount;
    this.shards = shards;
    this.backend = backend;
    this.held = new Array(shards).fill(undefined);
    this.live = new Uint8Array(shards);
    this.covered = new Uint8Array(shards);
  }

  /**
   * Takes the sums of node [first, end) (copied: the caller may reuse its buffers at once). Returns false,
   * changing nothing, for a range that is not a tree node or overlaps shards already accepted: a late or
   * repeated result is normal in a distributed run. Throws for buffers of the wrong size or impossible
   * counts, which are bugs upstream.
   */
  accept(
    first: number,
    end: number,
    grad: Float32Array,
    stats: Float32Array,
    lossSum: number,
    correct: number,
    rows: number,
  ): boolean {
    if (!isTreeNode(first, end, this.shards)) return false;
    for (let s = first; s < end; s++) if (this.covered[s] !== 0) return false;
    this.check(first, end, grad, stats, correct, rows);
    const held = this.slot(first);
    held.end = end;
    held.grad.set(grad);
    held.stats.set(stats);
    held.lossSum = lossSum;
    held.correct = correct;
    held.rows = rows;
    this.live[first] = 1;
    this.covered.fill(1, first, end);
    this.coveredCount += end - first;
    return true;
  }

  /** True once every shard has been accepted. */
  get complete(): boolean {
    return this.coveredCount === this.shards;
  }

  /** Shards not received yet, ascending: what to (re)assign. */
  missing(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.shards; s++) if (this.covered[s] === 0) out.push(s);
    return out;
  }

  /** The step's totals; views of internal buffers, valid until `reset`. */
  result(): StepSums {
    if (!this.complete) {
      throw new AccumulatorError(
        'ERR_ACCUMULATOR_INCOMPLETE',
        `the step is not complete: shards [${this.missing().join(', ')}] have not arrived`,
      );
    }
    this.total ??= this.combine(0, this.shards);
    const { grad, stats, lossSum, correct, rows } = this.total;
    return { gradSum: grad, statsSum: stats, lossSum, correct, rows };
  }

  /** Empties the totals for the next step (buffers are kept). */
  reset(): void {
    this.live.fill(0);
    this.covered.fill(0);
    this.coveredCount = 0;
    this.total = null;
  }

  /** Gives backend-allocated buffers back; the accumulator is unusable afterwards. */
  dispose(): void {
    for (const held of this.held) if (held) this.backend?.free(held.grad);
  }

  /** The sum of node (first, count): a node held as such, else its halves added (into the left one). */
  private combine(first: number, count: number): Held {
    const held = this.held[first];
    if (this.live[first] === 1 && held !== undefined && held.end === first + count) return held;
    const split = pairwiseSplit(count);
    const left = this.combine(first, split);
    const right = this.combine(first + split, count - split);
    const g = left.grad;
    if (this.backend) this.backend.axpy(g.length, 1, right.grad, g);
    else for (let i = 0; i < g.length; i++) g[i] += right.grad[i];
    for (let i = 0; i < left.stats.length; i++) left.stats[i] += right.stats[i];
    left.end = first + count;
    left.lossSum += right.lossSum;
    left.correct += right.correct;
    left.rows += right.rows;
    return left;
  }

  private slot(first: number): Held {
    let held = this.held[first];
    if (held === undefined) {
      held = {
        end: first,
        grad: this.backend ? this.backend.alloc(this.paramCount) : new Float32Array(this.paramCount),
        stats: new Float32Array(this.statsCount),
        lossSum: 0,
        correct: 0,
        rows: 0,
      };
      this.held[first] = held;
    }
    return held;
  }

  private check(
    first: number,
    end: number,
    grad: Float32Array,
    stats: Float32Array,
    correct: number,
    rows: number,
  ): void {
    const what = end - first === 1 ? `shard ${first}` : `shards ${first}-${end - 1}`;
    if (grad.length !== this.paramCount || stats.length !== this.statsCount) {
      throw new AccumulatorError(
        'ERR_ACCUMULATOR_SIZE',
        `${what}: got a gradient of ${grad.length} and stats of ${stats.length} values, expected ` +
          `${this.paramCount} and ${this.statsCount}; was it computed for a different model?`,
      );
    }
    if (
      !Number.isSafeInteger(rows) ||
      rows < 1 ||
      !Number.isSafeInteger(correct) ||
      correct < 0 ||
      correct > rows
    ) {
      throw new AccumulatorError(
        'ERR_ACCUMULATOR_RESULT',
        `${what}: rows must be an integer ≥ 1 and correct an integer in [0, rows], got rows ${rows}, correct ${correct}`,
      );
    }
  }
}
