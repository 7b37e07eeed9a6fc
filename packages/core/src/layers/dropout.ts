import type { Mode } from '../nets/net.js';
import type { Rng } from '../rng.js';
import type { Backend } from '../tensor/backend.js';
import { checkBackwardRows, checkRows } from './checks.js';
import type { Layer } from './layer.js';

const TWO_TO_MINUS_32 = 2 ** -32;

/**
 * The book's dropout: in training each unit is kept where a uniform draw exceeds `ratio` (the mask comes
 * from the Rng passed in, one draw per element in row-major order), and dropped units pass no gradient.
 * In evaluation every unit is kept and scaled by (1 − ratio), the expected fraction kept in training.
 */
export class Dropout implements Layer {
  private readonly mask: Float32Array;
  private readonly out: Float32Array;
  private readonly dx: Float32Array;
  private rows = 0;
  private train = false;

  constructor(
    private readonly backend: Backend,
    readonly size: number,
    readonly maxRows: number,
    readonly ratio: number,
  ) {
    if (!(ratio >= 0 && ratio < 1)) throw new RangeError(`Dropout: ratio must be in [0, 1), got ${ratio}`);
    this.mask = backend.alloc(maxRows * size);
    this.out = backend.alloc(maxRows * size);
    this.dx = backend.alloc(maxRows * size);
  }

  forward(x: Float32Array, rows: number, mode: Mode, rng?: Rng): Float32Array {
    checkRows('Dropout', rows, this.maxRows);
    const n = rows * this.size;
    this.rows = rows;
    this.train = mode === 'train';
    if (this.train) {
      if (rng === undefined) throw new Error('Dropout: train mode needs an Rng for the mask');
      const mask = this.mask;
      for (let i = 0; i < n; i++) mask[i] = rng.nextUint32() * TWO_TO_MINUS_32 > this.ratio ? 1 : 0;
      // out = x where mask > 0, else 0: the relu-backward kernel is exactly this select.
      this.backend.reluBackward(mask, x, this.out, n);
    } else {
      this.out.set(x.subarray(0, n));
      this.backend.scale(n, 1 - this.ratio, this.out);
    }
    return this.out;
  }

  backward(dout: Float32Array, rows: number): Float32Array {
    checkBackwardRows('Dropout', rows, this.rows);
    const n = rows * this.size;
    if (this.train) {
      this.backend.reluBackward(this.mask, dout, this.dx, n);
    } else {
      this.dx.set(dout.subarray(0, n));
      this.backend.scale(n, 1 - this.ratio, this.dx);
    }
    return this.dx;
  }

  dispose(): void {
    this.backend.free(this.mask);
    this.backend.free(this.out);
    this.backend.free(this.dx);
  }
}
