import type { DataSplits, Dataset } from '../data/dataset.js';
import { createSampler, type Sampler } from '../data/sampler.js';
import { buildNet } from '../nets/build.js';
import type { Net } from '../nets/net.js';
import { createOptimizer } from '../optim/create.js';
import type { Optimizer } from '../optim/optimizer.js';
import { Sgd } from '../optim/sgd.js';
import type { Backend } from '../tensor/backend.js';
import { applyStep, l2Penalty } from './apply.js';
import type { TrainConfig } from './config.js';
import { indexPixels, type PixelIndex } from './listed-rows.js';
import { NodeThread } from './node-thread.js';
import { type EvalCounts, ShardComputer, type SumUpdate } from './shard-computer.js';
import { type ShardRange, shardRanges } from './shards.js';

/** What one step did, reported after its update. */
export interface StepReport {
  /** The step just run, counted from 0. */
  readonly step: number;
  /** Mean cross-entropy over the batch plus λ/2·Σ‖W‖², with the parameters the batch was computed with. */
  readonly loss: number;
  readonly lossSum: number;
  readonly l2: number;
  readonly correct: number;
  readonly rows: number;
}

export interface EvalReport {
  /** How many steps had been run when it was taken. */
  readonly steps: number;
  readonly train: EvalCounts;
  readonly test?: EvalCounts;
}

export interface LocalTrainerOptions {
  readonly net: Net;
  readonly optimizer: Optimizer;
  readonly sampler: Sampler;
  readonly train: Dataset;
  /** Evaluated beside the training set when given. */
  readonly test?: Dataset;
  readonly batch: number;
  /** Micro-shards per step, as the distributed run would cut them. */
  readonly shards: number;
  /** The run seed: dropout draws for (step, shard) derive from it. */
  readonly seed: number;
  /** The step to run next, when resuming (default 0). */
  readonly startStep?: number;
  /** Evaluate after every this many steps (default 0: only when asked). */
  readonly evalEvery?: number;
  readonly onStep?: (report: StepReport) => void;
  readonly onEval?: (report: EvalReport) => void;
  /**
   * Computes the second half of every step (the root's second child in the shard tree) while this thread
   * computes the first; made by `createLocalTrainer` with `threads: 2`. The trainer disposes it.
   */
  readonly secondThread?: NodeThread;
  /** The training set listed once (see PixelIndex), for the steps to select rows from; the trainer frees it. */
  readonly pixelIndex?: PixelIndex;
}

export class LocalTrainerError extends Error {
  readonly code = 'ERR_LOCAL_TRAINER';

  constructor(message: string) {
    super(message);
    this.name = 'LocalTrainerError';
  }
}

/**
 * Single-process training through exactly the distributed step: sampler → the root node of the shard tree
 * (every micro-shard, summed along the pairwise tree) → applyStep. Same seed, config and backend give the
 * same weights as any number of remote workers.
 */
export class LocalTrainer {
  readonly net: Net;
  readonly optimizer: Optimizer;
  readonly sampler: Sampler;
  readonly computer: ShardComputer;
  private readonly options: LocalTrainerOptions;
  private readonly ranges: readonly ShardRange[];
  private readonly indices: Int32Array;
  /** Plain SGD without weight decay: applied by the shard computer from the step's sums (split over threads). */
  private readonly sumUpdate: SumUpdate | undefined;
  private nextStep: number;

  constructor(options: LocalTrainerOptions) {
    const { net, batch, shards, startStep = 0, evalEvery = 0 } = options;
    this.ranges = shardRanges(batch, shards);
    if (batch > net.maxRows) {
      throw new LocalTrainerError(
        `a batch of ${batch} rows does not fit a net built for at most ${net.maxRows}; build it with maxRows ≥ the batch`,
      );
    }
    if (!Number.isSafeInteger(startStep) || startStep < 0) {
      throw new LocalTrainerError(`startStep must be an integer ≥ 0, got ${startStep}`);
    }
    if (!Number.isSafeInteger(evalEvery) || evalEvery < 0) {
      throw new LocalTrainerError(`evalEvery must be an integer ≥ 0 (0: never), got ${evalEvery}`);
    }
    if (options.sampler.datasetSize !== options.train.count) {
      throw new LocalTrainerError(
        `the sampler draws from ${options.sampler.datasetSize} samples but the training set has ${options.train.count}`,
      );
    }
    this.options = options;
    this.net = net;
    this.optimizer = options.optimizer;
    this.sampler = options.sampler;
    this.computer = new ShardComputer(net, options.train, options.seed, this.ranges, {
      secondThread: options.secondThread,
      pixelIndex: options.pixelIndex,
    });
    this.indices = new Int32Array(batch);
    const { optimizer } = options;
    this.sumUpdate =
      optimizer instanceof Sgd && optimizer.backend === net.backend && net.weightDecay === 0
        ? { divisor: batch, a: -optimizer.lr, mean: net.grads }
        : undefined;
    this.nextStep = startStep;
  }

  /** The step `runStep` will run next (= steps completed, counting any resumed ones). */
  get step(): number {
    return this.nextStep;
  }

  /** One step; calls onStep, and onEval when the step count reaches a multiple of evalEvery. */
  runStep(): StepReport {
    const { batch, evalEvery = 0, onStep, onEval } = this.options;
    const step = this.nextStep;
    this.sampler.next(batch, this.indices);
    const l2 = l2Penalty(this.net);
    const update = this.sumUpdate;
    const sums = this.computer.computeNode(step, 0, this.ranges.length, this.indices, update);
    if (update === undefined) applyStep(this.net, this.optimizer, sums.grad, sums.stats, batch);
    else this.net.updateStats(sums.stats, batch);
    this.nextStep = step + 1;
    const report: StepReport = {
      step,
      loss: sums.lossSum / batch + l2,
      lossSum: sums.lossSum,
      l2,
      correct: sums.correct,
      rows: sums.rows,
    };
    onStep?.(report);
    if (evalEvery > 0 && this.nextStep % evalEvery === 0) {
      const evaluation = this.evaluate();
      onEval?.(evaluation);
    }
    return report;
  }

  /** `steps` more steps. */
  run(steps: number): void {
    if (!Number.isSafeInteger(steps) || steps < 0) {
      throw new LocalTrainerError(`steps must be an integer ≥ 0, got ${steps}`);
    }
    for (let i = 0; i < steps; i++) this.runStep();
  }

  /** Eval-mode counts over the whole training set and, when given, the whole test set. */
  evaluate(): EvalReport {
    const train = this.computer.evaluate(this.options.train);
    const { test } = this.options;
    return test === undefined
      ? { steps: this.nextStep, train }
      : { steps: this.nextStep, train, test: this.computer.evaluate(test) };
  }

  dispose(): void {
    this.computer.dispose();
    const index = this.options.pixelIndex;
    if (index !== undefined) this.net.backend.freePixelList(index.list);
  }
}

export interface LocalTrainerHooks {
  readonly onStep?: (report: StepReport) => void;
  readonly onEval?: (report: EvalReport) => void;
  /** Rows per evaluation forward call (default 1000); training takes the whole batch in one call. */
  readonly evalChunkRows?: number;
  /**
   * 1 (default) or 2: with 2, each step's two halves of the shard tree are computed at once on two threads
   * (wasm backend, shards ≥ 2), giving the weights of one thread.
   */
  readonly threads?: 1 | 2;
  /**
   * List the training set's pixels once up front and select each batch's rows from that list, instead of
   * copying and listing them every step (default: on for the wasm backend, whose list of MNIST's training
   * set takes ~72 MB of its memory; nets with dropout or batch norm never list pixels, so never index them).
   */
  readonly indexPixels?: boolean;
}

/**
 * A fresh run from a config: the net from `buildNet(config.model, backend, config.seed, …)`, the optimizer and
 * the sampler the config names (the sampler seeded from config.seed too).
 */
export function createLocalTrainer(
  config: TrainConfig,
  data: Pick<DataSplits, 'train' | 'test'>,
  backend: Backend,
  hooks: LocalTrainerHooks = {},
): LocalTrainer {
  const { threads = 1 } = hooks;
  if (threads !== 1 && threads !== 2) {
    throw new LocalTrainerError(`threads must be 1 or 2, got ${threads}`);
  }
  if (threads === 2 && config.shards < 2) {
    throw new LocalTrainerError(
      `two threads split each step's ${config.shards} shard${config.shards === 1 ? '' : 's'} in two: use at least 2 shards`,
    );
  }
  const maxRows = Math.max(config.batch, hooks.evalChunkRows ?? 1000);
  const net = buildNet(config.model, backend, config.seed, maxRows);
  const options = {
    net,
    optimizer: createOptimizer(config.optimizer, net.params.length, backend),
    sampler: createSampler(config.sampler, data.train.count, config.seed),
    train: data.train,
    test: data.test,
    batch: config.batch,
    shards: config.shards,
    seed: config.seed,
    evalEvery: config.evalEvery,
    onStep: hooks.onStep,
    onEval: hooks.onEval,
  };
  const index = (hooks.indexPixels ?? backend.name === 'wasm') && net.segmentable;
  let pixelIndex: PixelIndex | undefined;
  let secondThread: NodeThread | undefined;
  try {
    pixelIndex = index ? indexPixels(backend, data.train, net.firstWidth) : undefined;
    secondThread =
      threads === 1
        ? undefined
        : new NodeThread({
            net,
            model: config.model,
            seed: config.seed,
            batch: config.batch,
            shards: config.shards,
            train: data.train,
            pixelIndex,
          });
    return new LocalTrainer({ ...options, pixelIndex, secondThread });
  } catch (error) {
    secondThread?.dispose();
    if (pixelIndex !== undefined) backend.freePixelList(pixelIndex.list);
    throw error;
  }
}
