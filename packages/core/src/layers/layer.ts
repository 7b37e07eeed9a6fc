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
  /**
   * `backward` over rows cut into micro-shards at `bounds` (segments + 1 row offsets): parameter gradients
   * summed per shard and the sums added along the pairwise tree. Only layers whose forward treats each row
   * on its own have it; a net whose layers all do computes a whole node of shards in one pass.
   */
  backwardSegmented?(dout: Float32Array, rows: number, bounds: Int32Array, segments: number): Float32Array;
  /** Gives the layer's own buffers back to the backend (parameter views belong to the net). */
  dispose(): void;
}
