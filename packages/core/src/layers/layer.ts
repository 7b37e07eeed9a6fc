import type { Mode } from '../nets/net.js';
import type { Rng } from '../rng.js';

/**
 * One step of a network, as in the book: `forward` caches what `backward` needs. Every buffer is allocated
 * once for `maxRows` rows; outputs are views into it, valid until the layer's next call. `backward` returns dx
 * and never writes into its argument; layers with parameters overwrite their slices of the net's gradients.
 */
export interface Layer {
  forward(x: Float32Array, rows: number, mode: Mode, rng?: Rng): Float32Array;
  backward(dout: Float32Array, rows: number): Float32Array;
  /** Gives the layer's own buffers back to the backend (parameter views belong to the net). */
  dispose(): void;
}
