import { describe, expect, it } from 'vitest';
import { busyWaitFlag, busyWaitOption } from './busy-wait-flag.js';
import { type CommandSpec, parseFlags } from './flags.js';

const spec: CommandSpec = { name: 'x', summary: '', flags: busyWaitFlag };
const option = (...argv: string[]) => {
  const values = parseFlags(spec, argv);
  if (values === 'help') throw new Error('help');
  return busyWaitOption(values, spec);
};

describe('--busy-wait', () => {
  it('is off unless asked for', () => {
    expect(option()).toBe(0);
    expect(option('--busy-wait', '0.5')).toBe(0.5);
  });

  it('refuses a budget that is not a number of ms in [0, 1000]', () => {
    expect(() => option('--busy-wait', 'soon')).toThrow(/--busy-wait must be a number, got 'soon'/);
    expect(() => option('--busy-wait=-1')).toThrow(/at least 0/);
    expect(() => option('--busy-wait', '5000')).toThrow(/at most 1000/);
  });
});
