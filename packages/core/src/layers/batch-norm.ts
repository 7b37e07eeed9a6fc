import type { Mode } from '../nets/net.js';
import type { Backend } from '../tensor/backend.js';
import { checkBackwardRows, checkRows } from './checks.js';
import type { Layer } from './layer.js';

export interface BatchNormOptions {
  readonly size: number;
  readonly maxRows: number;
  /** Views into the net's parameters (scale, init 1; shift, init 0) and their gradients. */
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly dgamma: Float32Array;
  readonly dbeta: Float32Array;
  /** Views into the net's `stats`: the running averages used in eval mode. */
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  /** Views into the net's `statsSum`: train-mode forward writes rows·mean and rows·var of its batch here. */
  readonly meanSum: Float32Array;
  readonly varSum: Float32Array;
  /** Added to the variance before the square root (the book's 10e-7). */
  readonly eps?: number;
}

/** The book's running-average momentum. */
export const BATCH_NORM_MOMENTUM = 0.9;

/**
 * The book's BatchNormalization over the features of a rows × size matrix. Train mode normalises with the
 * (biased) mean and variance of the rows given; eval mode with the running averages, which move only in
 * `updateRunningStats`, once per step, from the summed per-shard statistics.
 */
export class BatchNorm implements Layer {
  readonly size: number;
  readonly maxRows: number;
  readonly eps: number;
  protected readonly gamma: Float32Array;
  protected readonly beta: Float32Array;
  protected readonly dgamma: Float32Array;
  protected readonly dbeta: Float32Array;
  private readonly runningMean: Float32Array;
  private readonly runningVar: Float32Array;
  private readonly meanSum: Float32Array;
  private readonly varSum: Float32Array;
  private readonly out: Float32Array;
  /** The normalised input (x − μ)/σ of the last train forward, and 1/σ per feature. */
  protected readonly xn: Float32Array;
  protected readonly invStd: Float64Array;
  protected readonly dx: Float32Array;
  /** Per-feature accumulators, in double precision. */
  private readonly colA: Float64Array;
  private readonly colB: Float64Array;
  private rows = 0;
  private train = false;

  constructor(
    private readonly backend: Backend,
    options: BatchNormOptions,
  ) {
    const { size, maxRows } = options;
    this.size = size;
    this.maxRows = maxRows;
    this.eps = options.eps ?? 1e-6;
    for (const key of [
      'gamma',
      'beta',
      'dgamma',
      'dbeta',
      'runningMean',
      'runningVar',
      'meanSum',
      'varSum',
    ] as const) {
      if (options[key].length !== size) {
        throw new RangeError(`BatchNorm: ${key} must have ${size} elements, got ${options[key].length}`);
      }
    }
    this.gamma = options.gamma;
    this.beta = options.beta;
    this.dgamma = options.dgamma;
    this.dbeta = options.dbeta;
    this.runningMean = options.runningMean;
    this.runningVar = options.runningVar;
    this.meanSum = options.meanSum;
    this.varSum = options.varSum;
    this.out = backend.alloc(maxRows * size);
    this.xn = backend.alloc(maxRows * size);
    this.dx = backend.alloc(maxRows * size);
    this.invStd = new Float64Array(size);
    this.colA = new Float64Array(size);
    this.colB = new Float64Array(size);
  }

  forward(x: Float32Array, rows: number, mode: Mode): Float32Array {
    checkRows('BatchNorm', rows, this.maxRows);
    this.rows = rows;
    this.train = mode === 'train';
    const { size, out, xn, invStd, gamma, beta } = this;
    const mean = this.colA;
    if (this.train) {
      const sq = this.colB;
      columnSums(x, rows, size, mean);
      for (let j = 0; j < size; j++) {
        this.meanSum[j] = mean[j];
        mean[j] /= rows;
      }
      sq.fill(0);
      for (let i = 0; i < rows; i++) {
        const r = i * size;
        for (let j = 0; j < size; j++) {
          const d = x[r + j] - mean[j];
          sq[j] += d * d;
        }
      }
      for (let j = 0; j < size; j++) {
        this.varSum[j] = sq[j];
        invStd[j] = 1 / Math.sqrt(sq[j] / rows + this.eps);
      }
    } else {
      for (let j = 0; j < size; j++) {
        mean[j] = this.runningMean[j];
        invStd[j] = 1 / Math.sqrt(this.runningVar[j] + this.eps);
      }
    }
    for (let i = 0; i < rows; i++) {
      const r = i * size;
      for (let j = 0; j < size; j++) {
        const v = (x[r + j] - mean[j]) * invStd[j];
        xn[r + j] = v;
        out[r + j] = gamma[j] * v + beta[j];
      }
    }
    return out;
  }

  /**
   * dbeta = Σ dout, dgamma = Σ dout·x̂ (overwriting), and with g = γ·dout:
   * dx = (g − mean(g) − x̂·mean(g·x̂)) / σ — the book's chain through σ, μ and x − μ, collected.
   * In eval mode μ and σ are constants, so dx = g / σ.
   */
  backward(dout: Float32Array, rows: number): Float32Array {
    checkBackwardRows('BatchNorm', rows, this.rows);
    const { size, xn, invStd, gamma, dx } = this;
    const sumG = this.colA;
    const sumGx = this.colB;
    sumG.fill(0);
    sumGx.fill(0);
    for (let i = 0; i < rows; i++) {
      const r = i * size;
      for (let j = 0; j < size; j++) {
        sumG[j] += dout[r + j];
        sumGx[j] += dout[r + j] * xn[r + j];
      }
    }
    for (let j = 0; j < size; j++) {
      this.dbeta[j] = sumG[j];
      this.dgamma[j] = sumGx[j];
      // From here on: means of g = γ·dout and of g·x̂.
      sumG[j] = this.train ? (gamma[j] * sumG[j]) / rows : 0;
      sumGx[j] = this.train ? (gamma[j] * sumGx[j]) / rows : 0;
    }
    for (let i = 0; i < rows; i++) {
      const r = i * size;
      for (let j = 0; j < size; j++) {
        dx[r + j] = (gamma[j] * dout[r + j] - sumG[j] - xn[r + j] * sumGx[j]) * invStd[j];
      }
    }
    return dx;
  }

  dispose(): void {
    this.backend.free(this.out);
    this.backend.free(this.xn);
    this.backend.free(this.dx);
  }
}

function columnSums(x: Float32Array, rows: number, cols: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j] += x[r + j];
  }
}

/**
 * running ← momentum·running + (1 − momentum)·statsSum / batchSize, over a whole stats buffer at once (means
 * and variances follow the same rule, so the layout does not matter).
 */
export function updateRunningStats(
  backend: Backend,
  stats: Float32Array,
  statsSum: Float32Array,
  batchSize: number,
  momentum = BATCH_NORM_MOMENTUM,
): void {
  if (!(batchSize > 0)) throw new RangeError(`updateRunningStats: batchSize must be > 0, got ${batchSize}`);
  if (statsSum.length < stats.length)
    throw new RangeError('updateRunningStats: statsSum is shorter than stats');
  backend.scale(stats.length, momentum, stats);
  backend.axpy(stats.length, (1 - momentum) / batchSize, statsSum, stats);
}
