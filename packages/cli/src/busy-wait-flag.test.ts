import { describe, expect, it } from 'vitest';
import { busyWaitFlag, busyWaitOption } from './busy-wait-flag.js';
import { flagReader } from './test-flags.js';

const option = flagReader(busyWaitFlag, busyWaitOption);

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
