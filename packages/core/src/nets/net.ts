import type { Rng } from '../rng.js';
import type { Backend, PixelList } from '../tensor/backend.js';

/** Where one parameter tensor (W1, b1, …) sits inside the net's contiguous parameter buffer. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly length: number;
  /** Weights take L2 decay; biases and batch-norm shifts do not. */
  readonly decay: boolean;
}

export type Mode = 'train' | 'eval';

/** What one micro-shard's forward+backward produced, beside the gradient sum left in `net.grads`. */
export interface ShardOutcome {
  /** Σ of per-sample cross-entropy losses (without the L2 term, which belongs to the whole batch). */
  lossSum: number;
  correct: number;
}

/**
 * Where a segmentable net's first-layer weight gradient can be left as its factors: that gradient is
 * pixelsᵀ·dA, with dA (rows × width) the gradient at the first layer's outputs, so it can travel as dA and be
 * formed wherever the pixels are (train/factor-replay.ts). The weights are params[0, weights).
 */
export interface FactorLayout {
  readonly weights: number;
  readonly width: number;
}

/** `ShardOutcome` of `gradientFactored`, with the first layer's factor: rows × width, valid until the next call. */
export interface FactoredOutcome extends ShardOutcome {
  readonly factor: Float32Array;
}

/**
 * A network: a list of layers plus a softmax-with-loss layer on top. Every trainable parameter lives in
 * `params` (one Float32Array, views per tensor) and every gradient in `grads`, laid out identically: that
 * buffer is what is sent, summed, checkpointed and hashed.
 */
export interface Net {
  readonly backend: Backend;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly specs: readonly ParamSpec[];
  /**
   * Non-trainable state (batch-norm running means and variances), contiguous, possibly empty. In training
   * each batch-norm layer writes rows·mean and rows·var of its micro-shard into `statsSum` (same layout),
   * so shards can be added in order and the running averages updated once per step.
   */
  readonly stats: Float32Array;
  readonly statsSum: Float32Array;
  /** Largest number of rows one forward call may take (buffers are preallocated for it). */
  readonly maxRows: number;
  /** Outputs of the first layer (an Affine): pixel lists this net reads are made for that width. */
  readonly firstWidth: number;
  /** L2 weight-decay coefficient λ (0 when off): loss += λ/2·Σ‖W‖², grad += λ·W, once per step. */
  readonly weightDecay: number;

  /** Logits (rows × outputSize), a view valid until the next call. `rng` drives dropout in train mode. */
  predict(x: Float32Array, rows: number, mode: Mode, rng?: Rng): Float32Array;
  /**
   * Forward and backward in train mode over one micro-shard. Overwrites `grads` with the *sum* over the rows
   * of per-sample gradients (not the mean: the step divides by the global batch size once) and `statsSum`.
   */
  gradientSum(x: Float32Array, labels: Int32Array, rows: number, rng: Rng): ShardOutcome;
  /** Whether `gradientSegmented` can run: every layer treats rows independently (no dropout, no batch norm). */
  readonly segmentable: boolean;
  /**
   * `gradientSum` over several consecutive micro-shards at once (rows cut at `bounds`, segments + 1
   * offsets), from the rows' listed pixel bytes (each standing for byte / 255, as `unitBytes` writes it;
   * listed for this net's first layer): `grads` gets each shard's sum added along the pairwise tree, the bits
   * that computing the shards one by one and adding them that way would give. Throws unless `segmentable`.
   * `pixels` must stay unchanged until `factoredWeights` has read it.
   */
  gradientSegmented(
    pixels: PixelList,
    labels: Int32Array,
    rows: number,
    bounds: Int32Array,
    segments: number,
  ): ShardOutcome;
  /** Set when the net is segmentable and its first layer's weights open the parameter buffer. */
  readonly factors: FactorLayout | null;
  /**
   * `gradientSegmented` that leaves the first layer's weight gradient as its factor, returned, instead of
   * forming it: `grads` past `factors.weights` gets the same bits, the weights' part is not written. Throws
   * unless `factors`.
   */
  gradientFactored(
    pixels: PixelList,
    labels: Int32Array,
    rows: number,
    bounds: Int32Array,
    segments: number,
  ): FactoredOutcome;
  /**
   * The first layer's weight gradient the last `gradientFactored` left as its factor, formed into `into`
   * (factors.weights values) with the bits `gradientSegmented` gives it. Throws when no such pass is the last.
   */
  factoredWeights(into: Float32Array): void;
  /** Forward only, eval mode: loss sum and correct count. */
  evaluate(x: Float32Array, labels: Int32Array, rows: number): ShardOutcome;
  /**
   * `evaluate` of listed pixel bytes (each standing for byte / 255), without their float copy: the same
   * results as `evaluate` on unitBytes' output.
   */
  evaluateListed(pixels: PixelList, labels: Int32Array, rows: number): ShardOutcome;
  /** Moves the running statistics toward `statsSum / batchSize` (batch-norm momentum); no-op without batch norm. */
  updateStats(statsSum: Float32Array, batchSize: number): void;
}
