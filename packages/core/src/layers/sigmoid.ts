import type { Backend } from '../tensor/backend.js';
import { checkBackwardRows, checkRows } from './checks.js';
import type { Layer } from './layer.js';

/** y = 1 / (1 + e^−x); dx = dout · y · (1 − y) from the cached output. */
export class Sigmoid implements Layer {
  private readonly out: Float32Array;
  private readonly dx: Float32Array;
  private rows = 0;

  constructor(
    private readonly backend: Backend,
    readonly size: number,
    readonly maxRows: number,
  ) {
    this.out = backend.alloc(maxRows * size);
    this.dx = backend.alloc(maxRows * size);
  }

  forward(x: Float32Array, rows: number): Float32Array {
    checkRows('Sigmoid', rows, this.maxRows);
    this.backend.sigmoid(x, this.out, rows * this.size);
    this.rows = rows;
    return this.out;
  }

  backward(dout: Float32Array, rows: number): Float32Array {
    checkBackwardRows('Sigmoid', rows, this.rows);
    this.backend.sigmoidBackward(this.out, dout, this.dx, rows * this.size);
    return this.dx;
  }

  dispose(): void {
    this.backend.free(this.out);
    this.backend.free(this.dx);
  }
}
