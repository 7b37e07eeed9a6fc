import type { CommandSpec, FlagSpec, FlagValues } from './flags.js';
import { numberFlag } from './flags.js';

/** How long the coordinator waits on workers, shared by `train` and `coordinator`. */
export const reliabilityFlags: Readonly<Record<string, FlagSpec>> = {
  patience: {
    type: 'string',
    value: 'SECONDS',
    help: 'with every worker gone, wait this long for one before stopping with a checkpoint',
    default: '600',
  },
  'task-timeout': {
    type: 'string',
    value: 'SECONDS',
    help: 'deadline of one micro-shard before it is given to another worker',
    default: '30',
  },
  'worker-timeout': {
    type: 'string',
    value: 'SECONDS',
    help: 'a worker silent this long (heartbeats included) is dropped and its shards re-assigned',
    default: '15',
  },
};

export interface ReliabilityOptions {
  readonly patienceMs: number;
  readonly taskTimeoutMs: number;
  readonly timeoutMs: number;
  readonly heartbeatMs: number;
}

/** The coordinator options behind the flags; heartbeats go out often enough to fit several in the timeout. */
export function reliabilityOptions(values: FlagValues, spec: CommandSpec): ReliabilityOptions {
  const seconds = (name: string, fallback: number) =>
    (numberFlag(values, name, spec, { min: 0.05, max: 86_400 * 7 }) ?? fallback) * 1000;
  const timeoutMs = seconds('worker-timeout', 15);
  return {
    patienceMs: seconds('patience', 600),
    taskTimeoutMs: seconds('task-timeout', 30),
    timeoutMs,
    heartbeatMs: Math.min(2000, timeoutMs / 4),
  };
}
