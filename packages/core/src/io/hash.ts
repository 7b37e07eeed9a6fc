import { createHash } from 'node:crypto';

/** SHA-256 (lower-case hex) of exactly the bytes a typed array or view covers, in memory order. */
export function sha256Hex(data: Uint8Array | Float32Array | ArrayBufferView): string {
  return createHash('sha256').update(bytesOf(data)).digest('hex');
}

/** The bytes behind a view, without copying. */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
