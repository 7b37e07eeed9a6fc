import type { Backend, PixelList } from '../tensor/backend.js';
import { checkBackwardRows, checkRows } from './checks.js';
import type { Layer } from './layer.js';

export interface AffineOptions {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly maxRows: number;
  /** inputSize × outputSize, a view into the net's parameters. */
  readonly W: Float32Array;
  /** outputSize */
  readonly b: Float32Array;
  /** Views into the net's gradients, laid out as W and b. */
  readonly dW: Float32Array;
  readonly db: Float32Array;
  /** Whether `backward` computes dx; the first layer of a net does not need it (default true). */
  readonly inputGrad?: boolean;
}

/** out = x·W + b. Backward overwrites dW = xᵀ·dout and db = Σ_rows dout, and returns dx = dout·Wᵀ. */
export class Affine implements Layer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly maxRows: number;
  readonly W: Float32Array;
  readonly b: Float32Array;
  readonly dW: Float32Array;
  readonly db: Float32Array;
  private readonly out: Float32Array;
  private readonly dx: Float32Array | null;
  private x: Float32Array | null = null;
  /** The listed pixels of the last `forwardListed` (x is null then), read by the backward. */
  private pixels: PixelList | null = null;
  private rows = 0;

  constructor(
    private readonly backend: Backend,
    options: AffineOptions,
  ) {
    const { inputSize, outputSize, maxRows } = options;
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.maxRows = maxRows;
    this.W = checkView('W', options.W, inputSize * outputSize);
    this.b = checkView('b', options.b, outputSize);
    this.dW = checkView('dW', options.dW, inputSize * outputSize);
    this.db = checkView('db', options.db, outputSize);
    this.out = backend.alloc(maxRows * outputSize);
    this.dx = options.inputGrad === false ? null : backend.alloc(maxRows * inputSize);
  }

  /** `x` (rows × inputSize) must stay unchanged until `backward`: it is cached by reference. */
  forward(x: Float32Array, rows: number): Float32Array {
    checkRows('Affine', rows, this.maxRows);
    this.backend.gemm(false, false, rows, this.outputSize, this.inputSize, x, this.W, this.out, false);
    this.backend.addBias(this.out, this.b, rows, this.outputSize);
    this.x = x;
    this.pixels = null;
    this.rows = rows;
    return this.out;
  }

  /**
   * `forward` of a first layer from listed pixel bytes (each standing for byte / 255), skipping the float
   * copy of the batch. `pixels` must stay unchanged until the backward, which reads it too.
   */
  forwardListed(pixels: PixelList, rows: number): Float32Array {
    checkRows('Affine', rows, this.maxRows);
    if (pixels.rows !== rows || pixels.cols !== this.inputSize || pixels.n !== this.outputSize) {
      throw new RangeError(
        `Affine: a pixel list of ${pixels.rows} rows × ${pixels.cols} pixels for ${pixels.n} outputs does not ` +
          `fit ${rows} rows of this ${this.inputSize} → ${this.outputSize} layer`,
      );
    }
    this.backend.gemmPixels(pixels, this.W, this.out);
    this.backend.addBias(this.out, this.b, rows, this.outputSize);
    this.pixels = pixels;
    this.x = null;
    this.rows = rows;
    return this.out;
  }

  backward(dout: Float32Array, rows: number): Float32Array {
    if (this.dx === null)
      throw new Error('Affine: built without inputGrad, so backward has no dx; call backwardParams');
    this.backwardParams(dout, rows);
    this.backend.gemm(false, true, rows, this.inputSize, this.outputSize, dout, this.W, this.dx, false);
    return this.dx;
  }

  backwardSegmented(dout: Float32Array, rows: number, bounds: Int32Array, segments: number): Float32Array {
    if (this.dx === null)
      throw new Error('Affine: built without inputGrad, so backward has no dx; call backwardParamsSegmented');
    this.backwardParamsSegmented(dout, rows, bounds, segments);
    this.backend.gemm(false, true, rows, this.inputSize, this.outputSize, dout, this.W, this.dx, false);
    return this.dx;
  }

  /**
   * dW and db summed per micro-shard and added along the pairwise tree, for a first layer; db alone without
   * `weights` (dW is then formed elsewhere from its factors).
   */
  backwardParamsSegmented(
    dout: Float32Array,
    rows: number,
    bounds: Int32Array,
    segments: number,
    weights = true,
  ): void {
    checkBackwardRows('Affine', rows, this.rows);
    if (weights) this.weightGradientSegmented(dout, rows, bounds, segments);
    this.backend.sumRowsTree(dout, this.outputSize, this.db, bounds, segments);
  }

  /** dW (or `into`) from the last forward's input and `dout`, per micro-shard added along the pairwise tree. */
  weightGradientSegmented(
    dout: Float32Array,
    rows: number,
    bounds: Int32Array,
    segments: number,
    into: Float32Array = this.dW,
  ): void {
    if (this.x === null) {
      this.backend.gemmTNTreePixels(this.pixels!, dout, into, bounds, segments);
    } else {
      this.backend.gemmTNTree(this.inputSize, this.outputSize, rows, this.x, dout, into, bounds, segments);
    }
  }

  /** The parameter gradients alone (dW, db), for a first layer whose dx nobody needs. */
  backwardParams(dout: Float32Array, rows: number): void {
    checkBackwardRows('Affine', rows, this.rows);
    if (this.x === null) throw new Error('Affine: after forwardListed, call backwardParamsSegmented');
    this.backend.gemm(true, false, this.inputSize, this.outputSize, rows, this.x!, dout, this.dW, false);
    this.backend.sumRows(dout, rows, this.outputSize, this.db, false);
  }

  dispose(): void {
    this.backend.free(this.out);
    if (this.dx !== null) this.backend.free(this.dx);
  }
}

function checkView(name: string, view: Float32Array, length: number): Float32Array {
  if (view.length !== length)
    throw new RangeError(`Affine: ${name} must have ${length} elements, got ${view.length}`);
  return view;
}
