import {
  type BackendName,
  buildNet,
  createBackend,
  type DataSplits,
  type Net,
  ShardComputer,
  shardRanges,
  type TrainConfig,
} from '@descent/core';
import { type EvalResult, type EvalTask, paramVersion, type Result, type Task } from '@descent/protocol';

export interface ShardEngineOptions {
  readonly config: TrainConfig;
  readonly backend: BackendName;
  readonly data: DataSplits;
  /** The coordinator's full-hash period for param versions (from `welcome`). */
  readonly fullHashEvery: number;
  /** Rows per forward call in evaluation; training takes up to a whole batch in one call. */
  readonly evalChunkRows?: number;
}

/** Rows per evaluation call by default: larger calls are no faster, and every row is buffer memory. */
const EVAL_CHUNK_ROWS = 250;

/**
 * The compute half of a worker, without any socket: holds a net built from the run config, adopts the
 * parameters it is sent and turns tasks into results with core's ShardComputer. The WebSocket worker and the
 * coordinator's in-process worker both run this class, so they compute the very same bytes.
 */
export class ShardEngine {
  readonly net: Net;
  private readonly computer: ShardComputer;
  private readonly data: DataSplits;
  private readonly fullHashEvery: number;
  private currentStep = -1;
  private currentVersion = 0;

  constructor(options: ShardEngineOptions) {
    const { config } = options;
    const maxRows = Math.max(config.batch, options.evalChunkRows ?? EVAL_CHUNK_ROWS);
    this.net = buildNet(config.model, createBackend(options.backend), config.seed, maxRows);
    this.computer = new ShardComputer(
      this.net,
      options.data.train,
      config.seed,
      shardRanges(config.batch, config.shards),
    );
    this.data = options.data;
    this.fullHashEvery = options.fullHashEvery;
  }

  get step(): number {
    return this.currentStep;
  }

  /** Version hash of the parameters now held (the worker's own, not the one it was told). */
  get version(): number {
    return this.currentVersion;
  }

  /**
   * Copies in the parameters for `step` and returns whether they hash to `expected`; when they do not, the
   * caller asks for a resync.
   */
  adopt(step: number, params: Float32Array, stats: Float32Array, expected: number): boolean {
    if (params.length !== this.net.params.length || stats.length !== this.net.stats.length) {
      throw new RangeError(
        `parameters of ${params.length}/${stats.length} values do not fit this net ` +
          `(${this.net.params.length} params, ${this.net.stats.length} stats)`,
      );
    }
    this.net.params.set(params);
    this.net.stats.set(stats);
    this.currentStep = step;
    this.currentVersion = paramVersion(this.net.params, step, this.fullHashEvery);
    return this.currentVersion === expected;
  }

  /** The rows of the batch node [first, end) covers, or null when it is not a node of this run's tree. */
  nodeRows(first: number, end: number): number | null {
    return this.computer.nodeRows(first, end);
  }

  /** One node's sums. `grad` and `stats` are buffers of the engine's, valid until the next call. */
  compute(task: Task): Result {
    const started = performance.now();
    const out = this.computer.computeNode(task.step, task.shard, task.end, task.indices);
    return {
      kind: 'result',
      step: task.step,
      shard: task.shard,
      end: task.end,
      version: this.currentVersion,
      grad: out.grad,
      stats: out.stats,
      lossSum: out.lossSum,
      correct: out.correct,
      rows: out.rows,
      computeMs: performance.now() - started,
    };
  }

  evaluate(task: EvalTask): EvalResult {
    const started = performance.now();
    const dataset = task.split === 'train' ? this.data.train : this.data.test;
    const out = this.computer.evaluate(dataset, task.start, task.end);
    return {
      kind: 'evalResult',
      id: task.id,
      step: task.step,
      version: this.currentVersion,
      split: task.split,
      start: task.start,
      end: task.end,
      correct: out.correct,
      lossSum: out.lossSum,
      rows: out.rows,
      computeMs: performance.now() - started,
    };
  }
}
