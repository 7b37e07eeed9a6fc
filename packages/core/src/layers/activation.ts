import type { Backend } from '../tensor/backend.js';
import { checkBackwardRows, checkRows } from './checks.js';
import type { Layer } from './layer.js';

/**
 * An element-wise activation whose backward needs only its own output (ReLU, sigmoid), so it caches y rather than
 * x and never touches its input.
 */
export abstract class ElementwiseActivation implements Layer {
  private readonly out: Float32Array;
  private readonly dx: Float32Array;
  private rows = 0;

  constructor(
    protected readonly backend: Backend,
    readonly size: number,
    readonly maxRows: number,
  ) {
    this.out = backend.alloc(maxRows * size);
    this.dx = backend.alloc(maxRows * size);
  }

  protected abstract apply(x: Float32Array, y: Float32Array, n: number): void;
  protected abstract applyBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void;

  forward(x: Float32Array, rows: number): Float32Array {
    checkRows(this.constructor.name, rows, this.maxRows);
    this.apply(x, this.out, rows * this.size);
    this.rows = rows;
    return this.out;
  }

  backward(dout: Float32Array, rows: number): Float32Array {
    checkBackwardRows(this.constructor.name, rows, this.rows);
    this.applyBackward(this.out, dout, this.dx, rows * this.size);
    return this.dx;
  }

  /** Row by row already, with no parameters: the same as `backward`. */
  backwardSegmented(dout: Float32Array, rows: number): Float32Array {
    return this.backward(dout, rows);
  }

  dispose(): void {
    this.backend.free(this.out);
    this.backend.free(this.dx);
  }
}
