import {
  applyStep,
  type BackendName,
  buildNet,
  type Checkpoint,
  createBackend,
  createOptimizer,
  createSampler,
  type Dataset,
  type EvalCounts,
  FactorReplay,
  l2Penalty,
  type Net,
  type Optimizer,
  restoreSampler,
  type Sampler,
  type SamplerState,
  ShardComputer,
  type ShardRange,
  StepAccumulator,
  shardRanges,
  type TrainConfig,
} from '@descent/core';
import { type GradWire, paramVersion } from '@descent/protocol';
import { CoordinatorError, CoordinatorErrorCode } from './coordinator-error.js';
import type { Exchange } from './options.js';

/** Rows per forward call when the coordinator evaluates its share: as a worker's (larger is no faster). */
const EVAL_ROWS = 250;

/**
 * What a run with `exchange` sends (see CoordinatorOptions.exchange). With 'auto', factors when the net and
 * wire allow them and a worker's update (the batch's factor and the values past the first layer's weights)
 * is smaller than the parameters. Throws when 'factors' is asked for and not possible.
 */
export function resolveExchange(
  exchange: Exchange,
  net: Net,
  batch: number,
  wire: GradWire,
): 'factors' | 'params' {
  if (exchange === 'params') return 'params';
  const layout = net.factors;
  const obstacle =
    layout === null
      ? 'the net has layers (dropout, batch norm) that take one micro-shard at a time'
      : wire !== 'f32'
        ? `the ${wire} wire carries single shards, rounded`
        : null;
  if (layout === null || obstacle !== null) {
    if (exchange === 'auto') return 'params';
    throw new CoordinatorError(
      CoordinatorErrorCode.badOption,
      `exchange 'factors' is not possible here: ${obstacle}; use 'auto' or 'params'`,
    );
  }
  if (exchange === 'factors') return 'factors';
  const updateValues = batch * (layout.width + 1) + net.params.length - layout.weights;
  return updateValues < net.params.length ? 'factors' : 'params';
}

/**
 * The coordinator's side of the math: the master parameters, optimizer and sampler, and the step's
 * fixed-order accumulator. Everything here is preallocated once; a step allocates nothing. In a factored run
 * results carry the first layer's weight gradient as its factor: the accumulator sums the rest, the factor
 * rows are gathered into `replay.factor`, and the step is applied through the replay (core's FactorReplay).
 */
export class TrainingState {
  readonly net: Net;
  readonly optimizer: Optimizer;
  sampler: Sampler;
  readonly accumulator: StepAccumulator;
  /** Set in a factored run. */
  readonly replay: FactorReplay | null;
  readonly ranges: readonly ShardRange[];
  /** Parameters are those of step `step` (after `step` updates). */
  step = 0;
  version = 0;
  /**
   * Batches by step mod 3: a factored run draws step t + 1's batch before it applies step t, and step t + 2's
   * to tell workers their next rows (see `Coordinator.run`), so three can be live.
   */
  private readonly batches: Int32Array[];
  /** Per slot, the sampler as it was before that batch was drawn, while its step is not yet applied. */
  private readonly beforeDraw: (SamplerState | null)[] = [null, null, null];
  /** The last step whose batch is drawn: batches are drawn in step order. */
  private drawnThrough = -1;

  readonly trainCount: number;

  /** What the run sends each step, resolved from the option (see resolveExchange). */
  readonly exchange: 'factors' | 'params';
  private readonly train: Dataset;
  /** Evaluates the coordinator's share of an evaluation (made on first use). */
  private evaluator: ShardComputer | null = null;

  constructor(
    readonly config: TrainConfig,
    readonly backendName: BackendName,
    train: Dataset,
    private readonly fullHashEvery: number,
    exchange: Exchange,
    wire: GradWire,
  ) {
    this.trainCount = train.count;
    this.train = train;
    this.net = buildNet(config.model, createBackend(backendName), config.seed, EVAL_ROWS);
    this.optimizer = createOptimizer(config.optimizer, this.net.params.length, this.net.backend);
    this.sampler = createSampler(config.sampler, train.count, config.seed);
    this.ranges = shardRanges(config.batch, config.shards);
    this.exchange = resolveExchange(exchange, this.net, config.batch, wire);
    this.replay = this.exchange === 'factors' ? new FactorReplay(this.net, train, this.ranges) : null;
    this.accumulator = new StepAccumulator(
      this.replay?.restLength ?? this.net.params.length,
      this.net.stats.length,
      config.shards,
      this.net.backend,
    );
    this.batches = [0, 1, 2].map(() => new Int32Array(config.batch));
    this.rehash();
  }

  /** Eval-mode counts over rows [start, end) of `dataset` with the parameters held. */
  evaluate(dataset: Dataset, start: number, end: number): EvalCounts {
    this.evaluator ??= new ShardComputer(this.net, this.train, this.config.seed, this.ranges);
    return this.evaluator.evaluate(dataset, start, end);
  }

  /** Restores step, parameters, stats, optimizer and sampler from a checkpoint of the same run config. */
  resume(checkpoint: Checkpoint): void {
    const strip = (c: TrainConfig) => JSON.stringify({ ...c, iters: 0, evalEvery: 0 });
    if (strip(checkpoint.config) !== strip(this.config)) {
      throw new CoordinatorError(
        CoordinatorErrorCode.resumeMismatch,
        'the checkpoint was written for another run config (only iters and evalEvery may change on resume); ' +
          'resume with the config saved in the checkpoint',
      );
    }
    if (checkpoint.backend !== this.backendName) {
      throw new CoordinatorError(
        CoordinatorErrorCode.resumeMismatch,
        `the checkpoint was written with the '${checkpoint.backend}' backend, this run uses '${this.backendName}'`,
      );
    }
    if (
      checkpoint.params.length !== this.net.params.length ||
      checkpoint.stats.length !== this.net.stats.length
    ) {
      throw new CoordinatorError(
        CoordinatorErrorCode.resumeMismatch,
        'the checkpoint’s parameters do not fit this net',
      );
    }
    this.net.params.set(checkpoint.params);
    this.net.stats.set(checkpoint.stats);
    this.optimizer.loadState(checkpoint.optimizer);
    this.sampler = restoreSampler(checkpoint.sampler as SamplerState, this.trainCount);
    this.step = checkpoint.step;
    this.drawnThrough = this.step - 1;
    this.rehash();
  }

  /**
   * The batch of step `step`, drawn now if it is not yet: steps are drawn in order, from the current one to
   * two past it.
   */
  drawBatch(step = this.step): Int32Array {
    const slot = step % 3;
    if (step <= this.drawnThrough) return this.batches[slot];
    if (step !== this.drawnThrough + 1 || step > this.step + 2) {
      throw new RangeError(
        `cannot draw the batch of step ${step}: the parameters are at step ${this.step}, batches are drawn through step ${this.drawnThrough}`,
      );
    }
    this.beforeDraw[slot] = this.sampler.state();
    this.sampler.next(this.config.batch, this.batches[slot]);
    this.drawnThrough = step;
    return this.batches[slot];
  }

  /** The batch drawn for `step`: valid until the batch of step + 3 is drawn. */
  batchOf(step: number): Int32Array {
    return this.batches[step % 3];
  }

  /**
   * In a factored run, lists the next step's batch for the replay when it is drawn already: the coordinator
   * does it while that step's results are on their way, so its own step then skips the listing.
   */
  stageNext(): void {
    if (this.replay !== null && this.drawnThrough >= this.step) this.replay.stage(this.batchOf(this.step));
  }

  /**
   * Abandons the steps whose batches were drawn but not applied, so a checkpoint taken now draws those same
   * batches again on resume.
   */
  abandonStep(): void {
    const first = this.beforeDraw[this.step % 3];
    if (this.drawnThrough >= this.step && first !== null) {
      this.sampler = restoreSampler(first, this.trainCount);
    }
    this.beforeDraw.fill(null);
    this.drawnThrough = this.step - 1;
  }

  /** Columns of the factor results carry: the first layer's width in a factored run, else 0. */
  get factorWidth(): number {
    return this.replay?.layout.width ?? 0;
  }

  /**
   * Takes the sums of node [first, end) of the current step (see StepAccumulator.accept), and in a factored
   * run its factor rows. Returns false, changing nothing, for a node already covered or not of the tree.
   */
  accept(
    first: number,
    end: number,
    sums: {
      grad: Float32Array;
      stats: Float32Array;
      lossSum: number;
      correct: number;
      rows: number;
      factor?: Float32Array;
    },
  ): boolean {
    const { grad, stats, lossSum, correct, rows, factor } = sums;
    if (!this.accumulator.accept(first, end, grad, stats, lossSum, correct, rows)) return false;
    if (this.replay !== null && factor !== undefined) {
      this.replay.factor.set(factor, this.ranges[first].start * this.replay.layout.width);
    }
    return true;
  }

  /**
   * Divides the accumulated sums by the batch size, runs the optimizer, empties the accumulator and advances
   * to the next step. Returns the step's loss (mean cross-entropy plus L2 penalty at the parameters it
   * started from).
   */
  update(): { loss: number; correct: number; rows: number } {
    const r = this.accumulator.result();
    const loss = r.lossSum / this.config.batch + l2Penalty(this.net);
    const { correct, rows } = r;
    const slot = this.step % 3;
    if (this.replay !== null) this.replay.apply(this.optimizer, this.batches[slot], r.gradSum, r.statsSum);
    else applyStep(this.net, this.optimizer, r.gradSum, r.statsSum, this.config.batch);
    this.accumulator.reset();
    this.beforeDraw[slot] = null;
    this.step++;
    this.rehash();
    return { loss, correct, rows };
  }

  checkpoint(extra?: Record<string, unknown>): Checkpoint {
    return {
      step: this.step,
      config: this.config,
      backend: this.backendName,
      specs: this.net.specs,
      params: this.net.params,
      stats: this.net.stats,
      optimizer: this.optimizer.state(),
      sampler: this.sampler.state(),
      ...(extra ? { extra } : {}),
    };
  }

  private rehash(): void {
    this.version = paramVersion(this.net.params, this.step, this.fullHashEvery);
  }
}
