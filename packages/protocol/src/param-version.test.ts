import { describe, expect, it } from 'vitest';
import { paramVersion } from './param-version.js';

describe('paramVersion', () => {
  it('is the same for equal bytes and differs with the step', () => {
    const a = new Float32Array(10_000).map((_, i) => Math.sin(i));
    expect(paramVersion(a, 3)).toBe(paramVersion(a.slice(), 3));
    expect(paramVersion(a, 3)).not.toBe(paramVersion(a, 4));
  });

  it('catches a change in any word on a full-hash step, whichever chain hashes it', () => {
    for (const length of [100_000, 39_763, 7]) {
      const a = new Float32Array(length).map((_, i) => i);
      for (const at of [0, 1, 2, 3, 4, Math.floor(length / 2), length - 2, length - 1]) {
        const b = a.slice();
        b[at] += 1;
        expect(paramVersion(a, 32, 16)).not.toBe(paramVersion(b, 32, 16));
      }
    }
  });

  it('tells apart words swapped between neighbours, which sit in different chains', () => {
    const a = new Float32Array(40_000).map((_, i) => i);
    const b = a.slice();
    [b[100], b[101]] = [b[101], b[100]];
    expect(paramVersion(a, 16, 16)).not.toBe(paramVersion(b, 16, 16));
  });
});
