import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { type CommandSpec, parseFlags } from './flags.js';

const view: CommandSpec = {
  name: 'view',
  summary: 'test',
  positional: { name: 'run', help: 'the run directory' },
  flags: { run: { type: 'string', help: 'the run directory' }, port: { type: 'string', help: 'port' } },
};

describe('parseFlags with a positional argument', () => {
  it('hands a single bare argument over as the value of its flag', () => {
    expect(parseFlags(view, ['runs/a', '--port', '0'])).toMatchObject({ run: 'runs/a', port: '0' });
  });

  it('refuses a second bare argument, and one given alongside its flag', () => {
    expect(() => parseFlags(view, ['runs/a', 'runs/b'])).toThrow(UsageError);
    expect(() => parseFlags(view, ['--run', 'runs/a', 'runs/b'])).toThrow(UsageError);
  });

  it('refuses bare arguments for commands that take none', () => {
    expect(() => parseFlags({ ...view, positional: undefined }, ['runs/a'])).toThrow(UsageError);
  });
});
