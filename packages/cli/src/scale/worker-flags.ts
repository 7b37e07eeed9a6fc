import { parseStraggler, TraceRecorder, type WorkerOptions } from '@descent/worker';
import { UsageError } from '../errors.js';
import { type CommandSpec, type FlagValues, stringFlag } from '../flags.js';

/** `descent worker` flags for scaling experiments. */
export const scalingWorkerFlags = {
  straggler: {
    type: 'string',
    value: 'P,DELAY',
    help: 'play a slow worker: on a fraction P of steps, send results DELAY ms late',
  },
  trace: {
    type: 'string',
    value: 'FILE',
    help: 'write this worker’s task phases (Chrome trace spans) to FILE; {name} is replaced by --name',
  },
} as const;

export function scalingWorkerOptions(
  values: FlagValues,
  spec: CommandSpec,
  name: string,
): { options: Pick<WorkerOptions, 'straggler' | 'trace'>; finish(): void } {
  const straggler = stringFlag(values, 'straggler', spec);
  const file = stringFlag(values, 'trace', spec)?.replaceAll('{name}', name);
  let parsed: WorkerOptions['straggler'];
  try {
    parsed = straggler !== undefined ? parseStraggler(straggler) : undefined;
  } catch (err) {
    throw new UsageError(`--straggler: ${(err as Error).message}`);
  }
  const trace = file !== undefined ? new TraceRecorder(`worker ${name}`) : undefined;
  return {
    options: { ...(parsed ? { straggler: parsed } : {}), ...(trace ? { trace } : {}) },
    finish: () => {
      if (trace && file !== undefined) trace.write(file);
    },
  };
}
