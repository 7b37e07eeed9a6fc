import { EXCHANGES } from '@descent/coordinator';
import { describe, expect, it } from 'vitest';
import { EXCHANGE_CHOICES, exchangeFlag, exchangeOption } from './exchange-flag.js';
import { flagReader } from './test-flags.js';

const option = flagReader(exchangeFlag, exchangeOption);

describe('--exchange', () => {
  it('offers exactly the coordinator’s exchanges', () => {
    expect([...EXCHANGE_CHOICES]).toEqual([...EXCHANGES]);
  });

  it('is auto unless asked for, and refuses an unknown one', () => {
    expect(option()).toBe('auto');
    expect(option('--exchange', 'factors')).toBe('factors');
    expect(() => option('--exchange', 'gradients')).toThrow(/--exchange/);
  });
});
