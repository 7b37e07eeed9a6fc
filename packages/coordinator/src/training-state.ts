import {
  applyStep,
  type BackendName,
  buildNet,
  type Checkpoint,
  createBackend,
  createOptimizer,
  createSampler,
  l2Penalty,
  type Net,
  type Optimizer,
  restoreSampler,
  type Sampler,
  type SamplerState,
  type ShardRange,
  StepAccumulator,
  shardRanges,
  type TrainConfig,
} from '@descent/core';
import { paramVersion } from '@descent/protocol';
import { CoordinatorError, CoordinatorErrorCode } from './coordinator-error.js';

/**
 * The coordinator's side of the math: the master parameters, optimizer and sampler, and the step's
 * fixed-order accumulator. Everything here is preallocated once; a step allocates nothing.
 */
export class TrainingState {
  readonly net: Net;
  readonly optimizer: Optimizer;
  sampler: Sampler;
  readonly accumulator: StepAccumulator;
  readonly ranges: readonly ShardRange[];
  /** The batch's sample indices, refilled every step. */
  readonly indices: Int32Array;
  /** Parameters are those of step `step` (after `step` updates). */
  step = 0;
  version = 0;
  /** The sampler as it was before this step's batch was drawn, while the step is not yet applied. */
  private beforeDraw: SamplerState | null = null;

  constructor(
    readonly config: TrainConfig,
    readonly backendName: BackendName,
    readonly trainCount: number,
    private readonly fullHashEvery: number,
  ) {
    this.net = buildNet(config.model, createBackend(backendName), config.seed, 1);
    this.optimizer = createOptimizer(config.optimizer, this.net.params.length, this.net.backend);
    this.sampler = createSampler(config.sampler, trainCount, config.seed);
    this.accumulator = new StepAccumulator(
      this.net.params.length,
      this.net.stats.length,
      config.shards,
      this.net.backend,
    );
    this.ranges = shardRanges(config.batch, config.shards);
    this.indices = new Int32Array(config.batch);
    this.rehash();
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
    this.rehash();
  }

  /** Draws the batch for the current step into `indices`. */
  drawBatch(): void {
    this.beforeDraw = this.sampler.state();
    this.sampler.next(this.config.batch, this.indices);
  }

  /**
   * Abandons a step whose batch was drawn but not applied, so a checkpoint taken now draws that same batch
   * again on resume.
   */
  abandonStep(): void {
    if (this.beforeDraw === null) return;
    this.sampler = restoreSampler(this.beforeDraw, this.trainCount);
    this.beforeDraw = null;
  }

  /**
   * Divides the accumulated sums by the batch size, runs the optimizer and advances to the next step.
   * Returns the step's loss (mean cross-entropy plus L2 penalty at the parameters it started from).
   */
  update(): { loss: number; correct: number; rows: number } {
    const r = this.accumulator.result();
    const loss = r.lossSum / this.config.batch + l2Penalty(this.net);
    applyStep(this.net, this.optimizer, r.gradSum, r.statsSum, this.config.batch);
    this.beforeDraw = null;
    this.step++;
    this.rehash();
    return { loss, correct: r.correct, rows: r.rows };
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
