import type { CommandSpec, FlagValues } from './flags.js';

export interface Command {
  readonly spec: CommandSpec;
  /** Resolves to the process exit code. */
  run(values: FlagValues): Promise<number>;
}
