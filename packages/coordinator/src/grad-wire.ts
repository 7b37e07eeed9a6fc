import { type GradWire, type Result, roundToWire, unpackHalf } from '@descent/protocol';

/**
 * Turns every result's gradient into float32 before it is checked and summed: 16-bit wire gradients are
 * decoded, and float32 ones (the in-process worker sends no bytes) are rounded as the wire would have, so a
 * run with a 16-bit wire gives the same weights with or without sockets and for any number of workers.
 */
export class GradDecoder {
  private readonly scratch: Float32Array;

  constructor(
    readonly wire: GradWire,
    readonly paramCount: number,
  ) {
    this.scratch = new Float32Array(wire === 'f32' ? 0 : paramCount);
  }

  /** The result with a float32 `grad`, valid until the next call (the accumulator copies what it keeps). */
  toFloat32(result: Result): Result {
    const half = result.half;
    if (half) {
      // A wrong length keeps the empty grad, which the result check then refuses with the sizes.
      if (half.bytes.byteLength !== this.paramCount * 2 || half.codec !== this.wire) return result;
      return { ...result, grad: unpackHalf(half.codec, half.bytes, this.scratch), half: undefined };
    }
    if (this.wire === 'f32' || result.grad.length !== this.paramCount) return result;
    this.scratch.set(result.grad);
    return { ...result, grad: roundToWire(this.wire, this.scratch) };
  }
}
