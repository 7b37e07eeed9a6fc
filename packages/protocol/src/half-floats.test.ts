import { describe, expect, it } from 'vitest';
import { packHalf, roundToWire, toBf16Bits, toF16Bits, unpackHalf } from './half-floats.js';

describe('half floats', () => {
  it('encodes the IEEE half values of known numbers, ties to even', () => {
    expect(toF16Bits(1)).toBe(0x3c00);
    expect(toF16Bits(-2)).toBe(0xc000);
    expect(toF16Bits(65504)).toBe(0x7bff);
    expect(toF16Bits(70000)).toBe(0x7c00);
    expect(toF16Bits(2 ** -24)).toBe(0x0001);
    expect(toF16Bits(2 ** -26)).toBe(0x0000);
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1).
    expect(toF16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('encodes bfloat16 as the rounded top half of the float32', () => {
    expect(toBf16Bits(1)).toBe(0x3f80);
    expect(toBf16Bits(-0.5)).toBe(0xbf00);
    expect(toBf16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(toBf16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
  });

  it('round-trips values already representable, for both codecs', () => {
    const values = new Float32Array([0, 1, -3.5, 0.25, 1024, -0.0078125]);
    for (const codec of ['f16', 'bf16'] as const) {
      const back = unpackHalf(codec, packHalf(codec, values), new Float32Array(values.length));
      expect(Array.from(back)).toEqual(Array.from(values));
    }
  });

  it('rounds within the codec’s relative precision and is idempotent', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10 ** ((i % 7) - 3));
    for (const [codec, eps] of [
      ['f16', 2 ** -11],
      ['bf16', 2 ** -8],
    ] as const) {
      const once = roundToWire(codec, values.slice());
      for (let i = 0; i < values.length; i++) {
        if (Math.abs(values[i]) > 1e-4)
          expect(Math.abs(once[i] - values[i])).toBeLessThanOrEqual(Math.abs(values[i]) * eps);
      }
      expect(Array.from(roundToWire(codec, once.slice()))).toEqual(Array.from(once));
    }
  });
});
