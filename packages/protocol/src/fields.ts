import { z } from 'zod';
import { bytesToFloat32, bytesToInt32 } from './typed-arrays.js';

/** Field schemas shared by several message kinds. */
export const count = z.number().int().nonnegative();
export const stepNumber = z.number().int().nonnegative();
export const uint32 = z.number().int().min(0).max(0xffffffff);
export const finite = z.number().finite();
export const shortText = z.string().max(4096);

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected binary data' });

/**
 * A Float32Array on the wire: a `bin` whose length is a multiple of 4. Encoding takes the Float32Array as is;
 * decoding yields a Float32Array view of the frame (copied only when misaligned). The bytes come first in the
 * union because decoded frames always hold bytes, and a failed branch costs: a result's parse took 42 µs with
 * the typed array first, 30 µs this way (medians over a run).
 */
export const float32s = z.union([
  bytes
    .refine((b) => b.byteLength % 4 === 0, { message: 'float32 data must be a multiple of 4 bytes' })
    .transform(bytesToFloat32),
  z.instanceof(Float32Array),
]);

export const int32s = z.union([
  bytes
    .refine((b) => b.byteLength % 4 === 0, { message: 'int32 data must be a multiple of 4 bytes' })
    .transform(bytesToInt32),
  z.instanceof(Int32Array),
]);

/** Raw bytes, as a plain Uint8Array view of the frame. */
export const rawBytes = bytes.transform((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
