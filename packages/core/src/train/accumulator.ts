import type { Backend } from '../tensor/backend.js';

/** The sums of one whole step: every micro-shard added in shard order. */
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

/** 0: not received; 1: received, waiting for an earlier shard; 2: added into the total. */
const MISSING = 0;
const WAITING = 1;
const ADDED = 2;

/**
 * Adds micro-shard results into one step's total, always in shard order whatever order they arrive in: a
 * result is copied aside until every earlier shard is in, then added. Float addition is not associative, so
 * this fixed order is what makes the sum, and so the weights, independent of which worker finished first.
 * Each shard counts once: a duplicate or out-of-range shard is refused and changes nothing.
 */
export class StepAccumulator {
  readonly paramCount: number;
  readonly statsCount: number;
  readonly shards: number;
  private readonly gradSum: Float32Array;
  private readonly statsSum: Float32Array;
  private readonly backend: Backend | undefined;
  private lossSum = 0;
  private correct = 0;
  private rows = 0;
  private readonly status: Uint8Array;
  /** Copies of early arrivals, allocated the first time a shard arrives early and reused every step. */
  private readonly waitingGrad: (Float32Array | undefined)[];
  private readonly waitingStats: (Float32Array | undefined)[];
  private readonly waitingLoss: Float64Array;
  private readonly waitingCorrect: Float64Array;
  private readonly waitingRows: Float64Array;
  /** The lowest shard not yet added. */
  private next = 0;

  /**
   * With `backend`, the totals live in its memory and shards are added by its axpy with a = 1, which gives
   * the same bits as the plain loop (1·x is exact) at SIMD speed.
   */
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
    this.gradSum = backend ? backend.alloc(paramCount) : new Float32Array(paramCount);
    this.statsSum = new Float32Array(statsCount);
    this.status = new Uint8Array(shards);
    this.waitingGrad = new Array(shards).fill(undefined);
    this.waitingStats = new Array(shards).fill(undefined);
    this.waitingLoss = new Float64Array(shards);
    this.waitingCorrect = new Float64Array(shards);
    this.waitingRows = new Float64Array(shards);
  }

  /**
   * Takes one micro-shard's sums (copied: the caller may reuse its buffers at once). Returns false, changing
   * nothing, for a shard already accepted or outside [0, shards): a late or repeated result is normal in a
   * distributed run. Throws for buffers of the wrong size or impossible counts, which are bugs upstream.
   */
  accept(
    shard: number,
    grad: Float32Array,
    stats: Float32Array,
    lossSum: number,
    correct: number,
    rows: number,
  ): boolean {
    if (!Number.isInteger(shard) || shard < 0 || shard >= this.shards) return false;
    if (this.status[shard] !== MISSING) return false;
    this.check(shard, grad, stats, correct, rows);
    if (shard === this.next) {
      this.add(grad, stats, lossSum, correct, rows);
      this.status[shard] = ADDED;
      this.next++;
      this.drain();
    } else {
      this.hold(shard, grad, stats, lossSum, correct, rows);
    }
    return true;
  }

  /** True once every shard has been added. */
  get complete(): boolean {
    return this.next === this.shards;
  }

  /** Shards not received yet, ascending: what to (re)assign. */
  missing(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.shards; s++) if (this.status[s] === MISSING) out.push(s);
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
    const { gradSum, statsSum, lossSum, correct, rows } = this;
    return { gradSum, statsSum, lossSum, correct, rows };
  }

  /** Empties the totals for the next step (buffers are kept). */
  reset(): void {
    this.gradSum.fill(0);
    this.statsSum.fill(0);
    this.lossSum = 0;
    this.correct = 0;
    this.rows = 0;
    this.status.fill(MISSING);
    this.next = 0;
  }

  /** Gives a backend-allocated total back; the accumulator is unusable afterwards. */
  dispose(): void {
    this.backend?.free(this.gradSum);
  }

  private check(shard: number, grad: Float32Array, stats: Float32Array, correct: number, rows: number): void {
    if (grad.length !== this.paramCount || stats.length !== this.statsCount) {
      throw new AccumulatorError(
        'ERR_ACCUMULATOR_SIZE',
        `shard ${shard}: got a gradient of ${grad.length} and stats of ${stats.length} values, expected ` +
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
        `shard ${shard}: rows must be an integer ≥ 1 and correct an integer in [0, rows], got rows ${rows}, correct ${correct}`,
      );
    }
  }

  private add(grad: Float32Array, stats: Float32Array, lossSum: number, correct: number, rows: number): void {
    const g = this.gradSum;
    if (this.backend) this.backend.axpy(g.length, 1, grad, g);
    else for (let i = 0; i < g.length; i++) g[i] += grad[i];
    const s = this.statsSum;
    for (let i = 0; i < s.length; i++) s[i] += stats[i];
    this.lossSum += lossSum;
    this.correct += correct;
    this.rows += rows;
  }

  private hold(
    shard: number,
    grad: Float32Array,
    stats: Float32Array,
    lossSum: number,
    correct: number,
    rows: number,
  ): void {
    const heldGrad = this.waitingGrad[shard] ?? new Float32Array(this.paramCount);
    const heldStats = this.waitingStats[shard] ?? new Float32Array(this.statsCount);
    this.waitingGrad[shard] = heldGrad;
    this.waitingStats[shard] = heldStats;
    heldGrad.set(grad);
    heldStats.set(stats);
    this.waitingLoss[shard] = lossSum;
    this.waitingCorrect[shard] = correct;
    this.waitingRows[shard] = rows;
    this.status[shard] = WAITING;
  }

  /** Adds every held shard that is now next in line. */
  private drain(): void {
    while (this.next < this.shards && this.status[this.next] === WAITING) {
      const s = this.next;
      this.add(
        this.waitingGrad[s]!,
        this.waitingStats[s]!,
        this.waitingLoss[s],
        this.waitingCorrect[s],
        this.waitingRows[s],
      );
      this.status[s] = ADDED;
      this.next++;
    }
  }
}
