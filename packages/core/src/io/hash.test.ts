import { describe, expect, it } from 'vitest';
import { sha256Hex } from './hash.js';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector for "abc"', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('hashes a Float32Array by its little-endian bytes', () => {
    const floats = Float32Array.from([1, -2.5]);
    const bytes = Uint8Array.from([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0]);
    expect(sha256Hex(floats)).toBe(sha256Hex(bytes));
  });

  it('covers only the bytes of a view, not the whole buffer behind it', () => {
    const whole = Float32Array.from([1, 2, 3, 4]);
    expect(sha256Hex(whole.subarray(1, 3))).toBe(sha256Hex(Float32Array.from([2, 3])));
    expect(sha256Hex(whole.subarray(1, 3))).not.toBe(sha256Hex(whole));
  });
});
