import type { Backend } from '../tensor/backend.js';
import { checkBackwardRows, checkRows } from './checks.js';
import type { Layer } from './layer.js';

/** y = max(x, 0); dx = dout where x > 0 (read from the cached output: y > 0 exactly where x > 0). */
export class Relu implements Layer {
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
    checkRows('Relu', rows, this.maxRows);
    this.backend.relu(x, this.out, rows * this.size);
    this.rows = rows;
    return this.out;
  }

  backward(dout: Float32Array, rows: number): Float32Array {
    checkBackwardRows('Relu', rows, this.rows);
    this.backend.reluBackward(this.out, dout, this.dx, rows * this.size);
    return this.dx;
  }

  dispose(): void {
    this.backend.free(this.out);
    this.backend.free(this.dx);
  }
}
