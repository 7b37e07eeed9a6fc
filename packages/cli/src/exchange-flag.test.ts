import { EXCHANGES } from '@descent/coordinator';
import { describe, expect, it } from 'vitest';
import { EXCHANGE_CHOICES, exchangeFlag, exchangeOption } from './exchange-flag.js';
import { type CommandSpec, parseFlags } from './flags.js';

const spec: CommandSpec = { name: 'x', summary: '', flags: exchangeFlag };
const option = (...argv: string[]) => {
  const values = parseFlags(spec, argv);
  if (values === 'help') throw new Error('help');
  return exchangeOption(values, spec);
};

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
