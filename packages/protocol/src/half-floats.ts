/**
 * 16-bit floats for gradients on the wire: IEEE half (`f16`: 5 exponent bits, 10 mantissa bits) and bfloat16
 * (`bf16`: float32's 8 exponent bits, 7 mantissa bits). Both round to nearest, ties to even, so one float32
 * always becomes the same 16 bits, whichever worker converts it.
 */
export const GRAD_WIRES = ['f32', 'f16', 'bf16'] as const;
export type GradWire = (typeof GRAD_WIRES)[number];
export type HalfCodec = Exclude<GradWire, 'f32'>;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toF16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const kept = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (kept + (rest > mid || (rest === mid && (kept & 1) === 1) ? 1 : 0));
  }
  const kept = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa lands in the exponent, which is the correctly rounded value (or infinity).
  return sign | (kept + (rest > 0x1000 || (rest === 0x1000 && (kept & 1) === 1) ? 1 : 0));
}

let f16Table: Float32Array | null = null;

/** All 65,536 halves as float32, built once. */
function f16ToF32Table(): Float32Array {
  if (f16Table) return f16Table;
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    table[h] =
      exp === 0
        ? sign * mant * 2 ** -24
        : exp === 0x1f
          ? mant === 0
            ? sign * Number.POSITIVE_INFINITY
            : Number.NaN
          : sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  f16Table = table;
  return table;
}

export function toBf16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** `values` as 16-bit floats, little-endian, two bytes each. */
export function packHalf(codec: HalfCodec, values: Float32Array): Uint8Array {
  const out = new Uint16Array(values.length);
  const convert = codec === 'f16' ? toF16Bits : toBf16Bits;
  for (let i = 0; i < values.length; i++) out[i] = convert(values[i]);
  return new Uint8Array(out.buffer);
}

/** The inverse of packHalf into `out` (whose length must be bytes / 2). */
export function unpackHalf(codec: HalfCodec, bytes: Uint8Array, out: Float32Array): Float32Array {
  if (bytes.byteLength !== out.length * 2) {
    throw new RangeError(`${bytes.byteLength} bytes of ${codec} do not hold ${out.length} values`);
  }
  const halves =
    bytes.byteOffset % 2 === 0
      ? new Uint16Array(bytes.buffer, bytes.byteOffset, out.length)
      : new Uint16Array(Uint8Array.prototype.slice.call(bytes).buffer);
  if (codec === 'f16') {
    const table = f16ToF32Table();
    for (let i = 0; i < out.length; i++) out[i] = table[halves[i]];
  } else {
    const wide = new Uint32Array(out.buffer, out.byteOffset, out.length);
    for (let i = 0; i < out.length; i++) wide[i] = halves[i] << 16;
  }
  return out;
}

/** Rounds `values` in place to what `codec` would carry: the same numbers the far end decodes. */
export function roundToWire(codec: GradWire, values: Float32Array): Float32Array {
  if (codec === 'f32') return values;
  return unpackHalf(codec, packHalf(codec, values), values);
}
