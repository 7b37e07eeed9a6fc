/**
 * msgpackr writes a Float32Array or Int32Array as a `bin` of its bytes (no per-element work) and reads a
 * `bin` back as a view into the received frame. These turn such a view into the typed array again, sharing
 * the frame's memory when it is 4-byte aligned and copying the bytes (one memcpy) only when it is not.
 * All peers are little-endian (x86-64, arm64), as typed arrays are.
 */
export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(Uint8Array.prototype.slice.call(bytes).buffer);
}

export function bytesToInt32(bytes: Uint8Array): Int32Array {
  if (bytes.byteOffset % 4 === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Int32Array(Uint8Array.prototype.slice.call(bytes).buffer);
}

/** Index of the first NaN or ±Infinity, or -1 when every value is finite. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // v - v is 0 for finite v and NaN for NaN and ±Infinity.
    if (v - v !== 0) return i;
  }
  return -1;
}
