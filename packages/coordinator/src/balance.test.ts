import { describe, expect, it } from 'vitest';
import { balance } from './balance.js';

describe('balance', () => {
  it('splits jobs in proportion to speed and hands out every job', () => {
    expect(balance(8, [1, 1])).toEqual([4, 4]);
    expect(balance(8, [3, 1])).toEqual([6, 2]);
    expect(balance(5, [1, 1, 1])).toEqual([2, 2, 1]);
    expect(balance(3, [1, 1, 1, 1, 1])).toEqual([1, 1, 1, 0, 0]);
  });

  it('treats unknown (zero or NaN) speeds as equal', () => {
    expect(balance(4, [0, Number.NaN])).toEqual([2, 2]);
  });
});

describe('balance with a worker far slower than the rest', () => {
  it('still gives it one job when there are at least as many jobs as workers', () => {
    expect(balance(4, [1000, 1])).toEqual([3, 1]);
    expect(balance(2, [1000, 1, 1])).toEqual([2, 0, 0]);
  });
});
