import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles up to the cap with seeded jitter in [0.5, 1.5), the same for the same seed', () => {
    const a = new Backoff(100, 1000, 7);
    const waits = Array.from({ length: 6 }, () => a.next());
    const raw = [100, 200, 400, 800, 1000, 1000];
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(raw[i] * 0.5);
      expect(w).toBeLessThan(raw[i] * 1.5);
    });
    const b = new Backoff(100, 1000, 7);
    expect(Array.from({ length: 6 }, () => b.next())).toEqual(waits);
    a.reset();
    expect(a.attempts).toBe(0);
  });
});
