import { encode } from './codec.js';
import type { Message } from './messages.js';

/** A frame in a pooled buffer: call `sent` once per send of it; after the last, the buffer is reused. */
export interface PooledFrame {
  readonly frame: Uint8Array;
  readonly sent: () => void;
}

/**
 * Encodes frames into a few reused buffers, so a peer that sends a parameter- or gradient-sized frame every
 * step does not encode into a fresh one each time: fresh buffers would be garbage that V8 counts as external
 * memory, and its full collections, every few dozen steps, cost more than computing a step. (A WebSocket
 * client still gets one copy per send: ws masks a client's frame into a buffer of its own.)
 */
export class FramePool {
  private readonly free: Uint8Array[] = [];

  constructor(private readonly keep = 4) {}

  /** Encodes `message` for `sends` sends; a frame with no large array is not pooled (its `sent` does nothing). */
  encode(message: Message, sends = 1): PooledFrame {
    let taken: Uint8Array | null = null;
    const frame = encode(message, (bytes) => {
      const i = this.free.findIndex((b) => b.byteLength >= bytes);
      taken = i >= 0 ? this.free.splice(i, 1)[0] : Buffer.allocUnsafeSlow(bytes);
      return taken;
    });
    const buffer = taken as Uint8Array | null;
    if (buffer === null || sends <= 0) return { frame, sent: () => {} };
    let left = sends;
    return {
      frame,
      sent: () => {
        if (--left === 0 && this.free.length < this.keep) this.free.push(buffer);
      },
    };
  }
}
