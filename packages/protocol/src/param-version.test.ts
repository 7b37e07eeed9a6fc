import { describe, expect, it } from 'vitest';
import { paramVersion } from './param-version.js';

describe('paramVersion', () => {
  it('is the same for equal bytes and differs with the step', () => {
    const a = new Float32Array(10_000).map((_, i) => Math.sin(i));
    expect(paramVersion(a, 3)).toBe(paramVersion(a.slice(), 3));
    expect(paramVersion(a, 3)).not.toBe(paramVersion(a, 4));
  });

  it('catches a change in any word on a full-hash step', () => {
    const a = new Float32Array(100_000).map((_, i) => i);
    const b = a.slice();
    b[12_345] += 1;
    expect(paramVersion(a, 32, 16)).not.toBe(paramVersion(b, 32, 16));
  });
});
