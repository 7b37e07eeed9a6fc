import { describe, expect, it } from 'vitest';
import { tokenMatches } from './token.js';

describe('tokenMatches', () => {
  it('accepts the same token and rejects any other, whatever its length', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
  });
});
