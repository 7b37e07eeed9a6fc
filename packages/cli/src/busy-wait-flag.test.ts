import { describe, expect, it } from 'vitest';
import {
  busyWaitFlag,
  busyWaitOption,
  LOCAL_BUSY_WAIT_MS,
  localBusyWaitMs,
  trainBusyWaitFlag,
} from './busy-wait-flag.js';
import { type CommandSpec, parseFlags } from './flags.js';

const option = (flags: CommandSpec['flags'], argv: string[], fallback?: number) => {
  const spec: CommandSpec = { name: 'x', summary: '', flags };
  const values = parseFlags(spec, argv);
  if (values === 'help') throw new Error('help');
  return busyWaitOption(values, spec, fallback);
};

describe('busy wait', () => {
  it('is on in a local run only when the coordinator and every worker can have a core', () => {
    expect(localBusyWaitMs(1, 2)).toBe(LOCAL_BUSY_WAIT_MS);
    expect(localBusyWaitMs(3, 4)).toBe(LOCAL_BUSY_WAIT_MS);
    expect(localBusyWaitMs(2, 2)).toBe(0);
    expect(localBusyWaitMs(1, 1)).toBe(0);
    // Nothing crosses a socket in a run without worker processes.
    expect(localBusyWaitMs(0, 8)).toBe(0);
  });

  it('is off for coordinator and worker unless asked for; train falls back to what its run allows', () => {
    expect(option(busyWaitFlag, [])).toBe(0);
    expect(option(busyWaitFlag, ['--busy-wait', '0.5'])).toBe(0.5);
    expect(option(trainBusyWaitFlag, [], 5)).toBe(5);
    expect(option(trainBusyWaitFlag, ['--busy-wait', '0'], 5)).toBe(0);
  });

  it('refuses a budget that is not a number of ms in [0, 1000]', () => {
    expect(() => option(busyWaitFlag, ['--busy-wait', 'soon'])).toThrow(
      /--busy-wait must be a number, got 'soon'/,
    );
    expect(() => option(busyWaitFlag, ['--busy-wait=-1'])).toThrow(/at least 0/);
    expect(() => option(busyWaitFlag, ['--busy-wait', '5000'])).toThrow(/at most 1000/);
  });
});
