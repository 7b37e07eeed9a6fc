import { describe, expect, it } from 'vitest';
import { parseStraggler, Straggler } from './straggler.js';

describe('Straggler', () => {
  it('reads P,DELAY and refuses a probability outside [0, 1]', () => {
    expect(parseStraggler('0.1,200')).toEqual({ probability: 0.1, delayMs: 200 });
    expect(() => parseStraggler('2,200')).toThrow(/P,DELAY/);
    expect(() => parseStraggler('0.1')).toThrow(/e\.g\. 0\.1,200/);
  });

  it('is slow on about the given fraction of steps, on the same steps every time for one name', () => {
    const a = new Straggler({ probability: 0.2, delayMs: 50 }, 'local-1');
    const again = new Straggler({ probability: 0.2, delayMs: 50 }, 'local-1');
    const other = new Straggler({ probability: 0.2, delayMs: 50 }, 'local-2');
    const delays = Array.from({ length: 2000 }, (_, step) => a.delayFor(step));
    const slow = delays.filter((d) => d === 50).length;
    expect(slow / 2000).toBeGreaterThan(0.17);
    expect(slow / 2000).toBeLessThan(0.23);
    expect(delays.every((d) => d === 0 || d === 50)).toBe(true);
    expect(Array.from({ length: 2000 }, (_, s) => again.delayFor(s))).toEqual(delays);
    expect(Array.from({ length: 2000 }, (_, s) => other.delayFor(s))).not.toEqual(delays);
  });
});
