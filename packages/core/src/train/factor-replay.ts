import type { Dataset } from '../data/dataset.js';
import type { FactorLayout, Net } from '../nets/net.js';
import type { Optimizer } from '../optim/optimizer.js';
import { sameBits } from '../tensor/same-bits.js';
import { applyStep } from './apply.js';
import { StagedRows } from './listed-rows.js';
import type { ShardRange } from './shards.js';

export class FactorReplayError extends Error {
  readonly code = 'ERR_FACTOR_REPLAY';

  constructor(message: string) {
    super(message);
    this.name = 'FactorReplayError';
  }
}

/**
 * Applies a step whose first-layer weight gradient came as its factor (Net.factors): gathers the batch's
 * pixels, forms pixelsᵀ·dA per micro-shard added along the pairwise tree, which are the bits the shards' own
 * gradients would have added up to, and applies the step. The coordinator and its workers all replay the
 * same factor, so they hold the same parameters afterwards without that gradient, most of a step's bytes,
 * crossing the network.
 */
export class FactorReplay {
  readonly layout: FactorLayout;
  readonly batch: number;
  /** The batch's factor dA (batch × layout.width), filled by the caller before `apply`. */
  readonly factor: Float32Array;
  private readonly net: Net;
  private readonly train: Dataset;
  private readonly segments: number;
  private readonly bounds: Int32Array;
  /** The batch's rows as `formWeights` lists them, and a step's rows listed ahead by `stage`. */
  private readonly listed: StagedRows;
  private readonly gradSum: Float32Array;
  private readonly weightSum: Float32Array;
  /** Set by `prepare`, cleared by `apply`: weightSum is formed from `preparedIndices` and `factor`. */
  private prepared = false;
  private readonly preparedIndices: Int32Array;

  constructor(net: Net, train: Dataset, ranges: readonly ShardRange[]) {
    if (net.factors === null) {
      throw new FactorReplayError(
        "this net's first-layer gradient cannot travel as factors (it needs a first Affine and layers that treat rows independently)",
      );
    }
    if (train.features !== net.inputSize) {
      throw new FactorReplayError(
        `the training data has ${train.features} features, the net takes ${net.inputSize} inputs`,
      );
    }
    const backend = net.backend;
    this.layout = net.factors;
    this.net = net;
    this.train = train;
    this.segments = ranges.length;
    this.batch = ranges[ranges.length - 1].end;
    this.bounds = Int32Array.from([...ranges.map((r) => r.start), this.batch]);
    this.factor = backend.alloc(this.batch * this.layout.width);
    this.listed = new StagedRows(net, this.batch);
    this.gradSum = backend.alloc(net.params.length);
    this.weightSum = this.gradSum.subarray(0, this.layout.weights);
    this.preparedIndices = new Int32Array(this.batch);
  }

  /** Values of the summed gradient past the first layer's weights, as `apply` takes them. */
  get restLength(): number {
    return this.net.params.length - this.layout.weights;
  }

  /**
   * The step over the training rows `indices`: the weights' gradient from `factor` (by default the one the
   * caller filled in), the rest from `restSum` (the summed gradient past the weights), then `applyStep` with
   * `optimizer`. A step `prepare`d with the same indices and factor bits skips forming the weights' gradient.
   */
  apply(
    optimizer: Optimizer,
    indices: Int32Array,
    restSum: Float32Array,
    statsSum: Float32Array,
    factor: Float32Array = this.factor,
  ): void {
    this.check(indices, factor);
    if (restSum.length !== this.restLength) {
      throw new FactorReplayError(
        `a step takes ${this.restLength} summed gradient values past the first layer's weights, got ${restSum.length}`,
      );
    }
    const prepared =
      this.prepared && sameBits(indices, this.preparedIndices) && sameBits(factor, this.factor);
    this.prepared = false;
    if (!prepared) {
      if (factor !== this.factor) this.factor.set(factor);
      this.formWeights(indices);
    }
    this.gradSum.set(restSum, this.layout.weights);
    applyStep(this.net, optimizer, this.gradSum, statsSum, this.batch);
  }

  /**
   * Forms the weights' gradient of a step ahead of its update, from a factor of the whole batch this process
   * computed itself, so that `apply` only checks that the update brought the same indices and factor. A
   * worker does it while the coordinator sums, with `form` writing the gradient from its net's last pass
   * (Net.factoredWeights: the batch's pixels are listed there already).
   */
  prepare(
    indices: Int32Array,
    factor: Float32Array,
    form: (weights: Float32Array) => void = () => this.formWeights(indices),
  ): void {
    this.check(indices, factor);
    this.factor.set(factor);
    this.preparedIndices.set(indices);
    form(this.weightSum);
    this.prepared = true;
  }

  /**
   * Lists the batch `indices` of a later step now, so that forming its weights' gradient skips gathering and
   * listing: the coordinator does it while it waits for that step's results.
   */
  stage(indices: Int32Array): void {
    if (indices.length !== this.batch) {
      throw new FactorReplayError(`a step takes ${this.batch} indices, got ${indices.length} to stage`);
    }
    this.listed.stage(this.train, indices);
  }

  private check(indices: Int32Array, factor: Float32Array): void {
    if (indices.length !== this.batch || factor.length !== this.factor.length) {
      throw new FactorReplayError(
        `a step takes ${this.batch} indices and a factor of ${this.factor.length} values, ` +
          `got ${indices.length} and ${factor.length}`,
      );
    }
  }

  /** weightSum = pixelsᵀ·factor over the batch `indices`, per micro-shard added along the pairwise tree. */
  private formWeights(indices: Int32Array): void {
    const { pixels } = this.listed.take(this.train, indices);
    this.net.backend.gemmTNTreePixels(pixels, this.factor, this.weightSum, this.bounds, this.segments);
  }

  /** Gives the buffers back to the backend; the replay is unusable afterwards. */
  dispose(): void {
    const backend = this.net.backend;
    for (const buffer of [this.factor, this.gradSum]) backend.free(buffer);
    this.listed.dispose();
  }
}
