import { type CommandSpec, type FlagSpec, type FlagValues, numberFlag } from './flags.js';

/** `--busy-wait` for `train` (its coordinator and local workers), `coordinator` and `worker`. */
export const busyWaitFlag: Readonly<Record<string, FlagSpec>> = {
  'busy-wait': {
    type: 'string',
    value: 'MS',
    help:
      'after each frame, poll this long for the next one instead of sleeping, for processes with a core of ' +
      'their own (polling stops for a while when another process wants the core); 0: never',
    default: '0',
  },
};

export function busyWaitOption(values: FlagValues, spec: CommandSpec): number {
  // protocol's MAX_BUSY_WAIT_MS, not imported: reading flags would load the protocol before `train` spawns workers.
  return numberFlag(values, 'busy-wait', spec, { min: 0, max: 1000 }) ?? 0;
}
