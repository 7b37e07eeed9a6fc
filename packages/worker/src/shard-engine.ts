import {
  type BackendName,
  buildNet,
  createBackend,
  createOptimizer,
  type DataSplits,
  FactorReplay,
  type Net,
  type Optimizer,
  type OptimizerState,
  ShardComputer,
  shardRanges,
  type TrainConfig,
} from '@descent/core';
import {
  type EvalResult,
  type EvalTask,
  paramVersion,
  type Result,
  type Task,
  type Update,
} from '@descent/protocol';

export interface ShardEngineOptions {
  readonly config: TrainConfig;
  readonly backend: BackendName;
  readonly data: DataSplits;
  /** The coordinator's full-hash period for param versions (from `welcome`). */
  readonly fullHashEvery: number;
  /** Rows per forward call in evaluation; training takes up to a whole batch in one call. */
  readonly evalChunkRows?: number;
  /** Results leave the first layer's weight gradient as its factor, and `replay` applies updates (welcome). */
  readonly factored?: boolean;
}

/** What `replay` did with an update: applied it, ignored it as already past, or found steps missing. */
export type ReplayOutcome = 'applied' | 'stale' | 'behind';

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
  private readonly config: TrainConfig;
  private readonly factored: boolean;
  /** In a factored run, once needed: the worker's own optimizer and the replay that applies updates. */
  private stepper: { optimizer: Optimizer; replay: FactorReplay } | null = null;
  /** The last node computed, when it was a factored whole batch: its update can be prepared for. */
  private wholeBatch: { indices: Int32Array; factor: Float32Array } | null = null;

  constructor(options: ShardEngineOptions) {
    const { config } = options;
    const maxRows = Math.max(config.batch, options.evalChunkRows ?? EVAL_CHUNK_ROWS);
    this.net = buildNet(config.model, createBackend(options.backend), config.seed, maxRows);
    this.config = config;
    this.factored = options.factored === true;
    this.computer = new ShardComputer(
      this.net,
      options.data.train,
      config.seed,
      shardRanges(config.batch, config.shards),
      { factored: this.factored },
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
   * Copies in the parameters for `step` (and in a factored run the optimizer state, when sent) and returns
   * whether they hash to `expected`; when they do not, the caller asks for a resync.
   */
  adopt(
    step: number,
    params: Float32Array,
    stats: Float32Array,
    expected: number,
    optimizer?: OptimizerState,
  ): boolean {
    if (params.length !== this.net.params.length || stats.length !== this.net.stats.length) {
      throw new RangeError(
        `parameters of ${params.length}/${stats.length} values do not fit this net ` +
          `(${this.net.params.length} params, ${this.net.stats.length} stats)`,
      );
    }
    if (optimizer !== undefined) this.replayer().optimizer.loadState(optimizer);
    this.net.params.set(params);
    this.net.stats.set(stats);
    this.currentStep = step;
    this.currentVersion = paramVersion(this.net.params, step, this.fullHashEvery);
    return this.currentVersion === expected;
  }

  /**
   * Applies a factored update to the parameters held, as the coordinator applies it to its own, when it is
   * the next step. Throws, changing nothing, for an update that does not fit this run.
   */
  replay(update: Update): ReplayOutcome {
    const { replay, optimizer } = this.replayer();
    if (update.step <= this.currentStep) return 'stale';
    if (update.step !== this.currentStep + 1) return 'behind';
    if (
      update.factor.length !== replay.factor.length ||
      update.grad.length !== replay.restLength ||
      update.stats.length !== this.net.stats.length
    ) {
      throw new RangeError(
        `an update of ${update.factor.length} factor, ${update.grad.length} gradient and ${update.stats.length} ` +
          `stats values does not fit this run (${replay.factor.length}, ${replay.restLength}, ${this.net.stats.length})`,
      );
    }
    replay.apply(optimizer, update.indices, update.grad, update.stats, update.factor);
    this.currentStep = update.step;
    this.currentVersion = paramVersion(this.net.params, update.step, this.fullHashEvery);
    return 'applied';
  }

  private replayer(): { optimizer: Optimizer; replay: FactorReplay } {
    if (!this.factored) throw new RangeError('this run sends parameters, not factored updates');
    this.stepper ??= {
      optimizer: createOptimizer(this.config.optimizer, this.net.params.length, this.net.backend),
      replay: new FactorReplay(this.net, this.data.train, this.computer.ranges),
    };
    return this.stepper;
  }

  /** The rows of the batch node [first, end) covers, or null when it is not a node of this run's tree. */
  nodeRows(first: number, end: number): number | null {
    return this.computer.nodeRows(first, end);
  }

  /**
   * After computing a factored run's whole batch, forms the weights' gradient its update will bring, so that
   * the update only has to be checked and applied (FactorReplay.prepare). Returns whether there was one.
   */
  prepareUpdate(): boolean {
    const whole = this.wholeBatch;
    if (whole === null) return false;
    this.wholeBatch = null;
    this.replayer().replay.prepare(whole.indices, whole.factor, (weights) =>
      this.net.factoredWeights(weights),
    );
    return true;
  }

  /**
   * Lists the rows a task names as its node's next (`Task.next`), so that the next step's task over those
   * rows starts from them listed. Returns whether there were any.
   */
  stageNext(task: Task): boolean {
    if (task.next === undefined) return false;
    this.computer.stage(task.next);
    return true;
  }

  /** One node's sums. `grad` and `stats` are buffers of the engine's, valid until the next call. */
  compute(task: Task): Result {
    const started = performance.now();
    const out = this.computer.computeNode(task.step, task.shard, task.end, task.indices);
    const whole = task.shard === 0 && task.end === this.computer.ranges.length;
    this.wholeBatch =
      whole && out.factor !== undefined ? { indices: task.indices, factor: out.factor } : null;
    return {
      kind: 'result',
      step: task.step,
      shard: task.shard,
      end: task.end,
      version: this.currentVersion,
      grad: out.grad,
      stats: out.stats,
      ...(out.factor ? { factor: out.factor } : {}),
      lossSum: out.lossSum,
      correct: out.correct,
      rows: out.rows,
      computeMs: performance.now() - started,
    };
  }

  evaluate(task: EvalTask): EvalResult {
    const started = performance.now();
    this.wholeBatch = null;
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
