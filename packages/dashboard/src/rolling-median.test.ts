import { describe, expect, it } from 'vitest';
import { RollingMedian } from './rolling-median.js';

describe('RollingMedian', () => {
  it('is null before any value', () => {
    expect(new RollingMedian(3).median()).toBeNull();
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    const m = new RollingMedian(10);
    for (const v of [5, 1, 9]) m.push(v);
    expect(m.median()).toBe(5);
    m.push(3);
    expect(m.median()).toBe(4);
  });

  it('forgets values older than the window', () => {
    const m = new RollingMedian(2);
    for (const v of [100, 1, 3]) m.push(v);
    expect(m.median()).toBe(2);
  });
});
