import { type CommandSpec, type FlagSpec, type FlagValues, parseFlags } from './flags.js';

/** Reads what `read` makes of a command line with `flags`, as a command with those flags would (for tests). */
export function flagReader<T>(
  flags: Readonly<Record<string, FlagSpec>>,
  read: (values: FlagValues, spec: CommandSpec) => T,
): (...argv: string[]) => T {
  const spec: CommandSpec = { name: 'x', summary: '', flags };
  return (...argv) => {
    const values = parseFlags(spec, argv);
    if (values === 'help') throw new Error('help');
    return read(values, spec);
  };
}
