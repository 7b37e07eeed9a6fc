import type { Backend } from '../tensor/backend.js';
import { pairwiseSum } from '../tensor/pairwise.js';
import { checkBackwardRows, checkRows } from './checks.js';

/**
 * Softmax and cross-entropy together (the net's last layer). Unlike the book, `forward` returns the loss
 * *summed* over rows, and `backward` multiplies by `scale` instead of dividing by the batch: nets pass 1 so
 * that gradients are per-sample sums, and the step divides by the global batch size once.
 */
export class SoftmaxWithLoss {
  /** rows × classes probabilities from the last forward. */
  readonly probs: Float32Array;
  private readonly dx: Float32Array;
  private labels: Int32Array | null = null;
  private rows = 0;
  private segmentLoss = new Float64Array(0);

  constructor(
    private readonly backend: Backend,
    readonly classes: number,
    readonly maxRows: number,
  ) {
    this.probs = backend.alloc(maxRows * classes);
    this.dx = backend.alloc(maxRows * classes);
  }

  /** Σ over rows of −log softmax(logits)[label]. `labels` is cached by reference until `backward`. */
  forward(logits: Float32Array, labels: Int32Array, rows: number): number {
    checkRows('SoftmaxWithLoss', rows, this.maxRows);
    this.labels = labels;
    this.rows = rows;
    return this.backend.softmaxCrossEntropy(logits, labels, rows, this.classes, this.probs);
  }

  /**
   * As `forward`, with the loss summed per micro-shard (rows cut at `bounds`) and the sums added along the
   * pairwise tree, so a node of shards reports the loss its shards would add up to.
   */
  forwardSegmented(
    logits: Float32Array,
    labels: Int32Array,
    rows: number,
    bounds: Int32Array,
    segments: number,
  ): number {
    checkRows('SoftmaxWithLoss', rows, this.maxRows);
    if (this.segmentLoss.length < segments) this.segmentLoss = new Float64Array(segments);
    const c = this.classes;
    for (let t = 0; t < segments; t++) {
      const r0 = bounds[t];
      const r1 = bounds[t + 1];
      this.segmentLoss[t] = this.backend.softmaxCrossEntropy(
        logits.subarray(r0 * c, r1 * c),
        labels.subarray(r0, r1),
        r1 - r0,
        c,
        this.probs.subarray(r0 * c, r1 * c),
      );
    }
    this.labels = labels;
    this.rows = rows;
    return pairwiseSum(this.segmentLoss, 0, segments);
  }

  /** dlogits = (probs − onehot(labels)) · scale. */
  backward(rows: number, scale = 1): Float32Array {
    checkBackwardRows('SoftmaxWithLoss', rows, this.rows);
    this.backend.softmaxCrossEntropyBackward(this.probs, this.labels!, rows, this.classes, scale, this.dx);
    return this.dx;
  }

  dispose(): void {
    this.backend.free(this.probs);
    this.backend.free(this.dx);
  }
}
