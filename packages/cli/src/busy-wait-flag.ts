import { availableParallelism } from 'node:os';
import { type CommandSpec, type FlagSpec, type FlagValues, numberFlag } from './flags.js';

/** How long a local run's processes poll for the next frame: longer than all but a few steps take. */
export const LOCAL_BUSY_WAIT_MS = 5;

const help =
  'after each frame, poll this long for the next one instead of sleeping: shorter steps when this process ' +
  'has a core to itself, many times longer ones when it shares it';

/** `--busy-wait` for `coordinator` and `worker`, off unless asked for. */
export const busyWaitFlag: Readonly<Record<string, FlagSpec>> = {
  'busy-wait': { type: 'string', value: 'MS', help: `${help} (0: never)`, default: '0' },
};

/** `--busy-wait` for `train`, which knows how many processes it starts. */
export const trainBusyWaitFlag: Readonly<Record<string, FlagSpec>> = {
  'busy-wait': {
    type: 'string',
    value: 'MS',
    help: `${help} (default: ${LOCAL_BUSY_WAIT_MS} when every local process has a core, else 0)`,
  },
};

/**
 * A local run's busy wait: on only when the coordinator and each worker process can have a core of their own.
 * Two workers and a coordinator polling on two cores made the median step three times as long.
 */
export function localBusyWaitMs(workers: number, cores = availableParallelism()): number {
  return workers > 0 && workers + 1 <= cores ? LOCAL_BUSY_WAIT_MS : 0;
}

export function busyWaitOption(values: FlagValues, spec: CommandSpec, fallback = 0): number {
  return numberFlag(values, 'busy-wait', spec, { min: 0, max: 1000 }) ?? fallback;
}
