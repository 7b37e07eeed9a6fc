import { describe, expect, it } from 'vitest';
import { markdownTable, tailMean } from './results-table.js';

describe('markdownTable', () => {
  it('pads every column to its widest cell', () => {
    expect(markdownTable(['a', 'loss'], [['Adam', '0.1']])).toBe(
      ['| a    | loss |', '| ---- | ---- |', '| Adam | 0.1  |'].join('\n'),
    );
  });
});

describe('tailMean', () => {
  it('averages the last n values, or all when there are fewer', () => {
    expect(tailMean([10, 1, 2, 3], 3)).toBe(2);
    expect(tailMean([4, 6], 100)).toBe(5);
  });
});
