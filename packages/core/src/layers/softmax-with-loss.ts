import type { Backend } from '../tensor/backend.js';
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
