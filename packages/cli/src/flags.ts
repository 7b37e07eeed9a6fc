import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly help: string;
  /** Shown in help as `--flag VALUE`. */
  readonly value?: string;
  readonly default?: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** One optional bare argument (as in `descent view runs/NAME`), handed over as the flag value of `name`. */
  readonly positional?: { readonly name: string; readonly help: string };
}

export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.flags).map(([name, f]) => {
    const left = `  --${name}${f.value ? ` ${f.value}` : ''}`;
    const dflt = f.default !== undefined ? ` (default: ${f.default})` : '';
    return `${left.padEnd(30)} ${f.help}${dflt}`;
  });
  const usage = spec.positional
    ? [
        '',
        `usage: descent ${spec.name} [flags] ${spec.positional.name.toUpperCase()}`,
        `  ${spec.positional.help}`,
      ]
    : [];
  return [
    `descent ${spec.name}: ${spec.summary}`,
    ...usage,
    '',
    'Flags:',
    ...rows,
    `  ${'--help'.padEnd(28)} this text`,
  ].join('\n');
}

/** Parses argv against the spec; any unknown flag, stray argument or missing value is a UsageError. */
export function parseFlags(spec: CommandSpec, argv: readonly string[]): FlagValues | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const options = Object.fromEntries(Object.entries(spec.flags).map(([name, f]) => [name, { type: f.type }]));
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: true,
    });
    if (spec.positional && positionals.length === 1 && values[spec.positional.name] === undefined) {
      return { ...values, [spec.positional.name]: positionals[0] } as FlagValues;
    }
    if (positionals.length > 0) {
      throw new UsageError(
        `unexpected argument '${positionals[0]}' for \`descent ${spec.name}\`; see --help`,
      );
    }
    return values as FlagValues;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const message =
      err instanceof Error ? err.message.replace(/\. To specify a positional.*$/s, '') : String(err);
    throw new UsageError(
      `${message} (for \`descent ${spec.name}\`); run \`descent ${spec.name} --help\` for the flags`,
    );
  }
}

function raw(values: FlagValues, name: string, spec: CommandSpec): string | undefined {
  const v = values[name];
  if (typeof v === 'string') return v;
  return spec.flags[name]?.default;
}

export function stringFlag(values: FlagValues, name: string, spec: CommandSpec): string | undefined {
  return raw(values, name, spec);
}

export function numberFlag(
  values: FlagValues,
  name: string,
  spec: CommandSpec,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const text = raw(values, name, spec);
  if (text === undefined) return undefined;
  const n = Number(text);
  const kind = opts.integer ? 'a whole number' : 'a number';
  if (text.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${kind}, got '${text}'`);
  }
  if (opts.min !== undefined && n < opts.min)
    throw new UsageError(`--${name} must be at least ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max)
    throw new UsageError(`--${name} must be at most ${opts.max}, got ${n}`);
  return n;
}

export function choiceFlag<T extends string>(
  values: FlagValues,
  name: string,
  spec: CommandSpec,
  choices: readonly T[],
): T | undefined {
  const text = raw(values, name, spec);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got '${text}'`);
  }
  return text as T;
}

/** A comma-separated list of positive whole numbers, as in `--hidden 100,100,100`. */
export function sizesFlag(values: FlagValues, name: string, spec: CommandSpec): number[] | undefined {
  const text = raw(values, name, spec);
  if (text === undefined) return undefined;
  const parts = text.split(',').map((p) => p.trim());
  const sizes = parts.map(Number);
  if (parts.length === 0 || sizes.some((n, i) => parts[i] === '' || !Number.isInteger(n) || n < 1)) {
    throw new UsageError(
      `--${name} must be positive whole numbers separated by commas (e.g. 100,100), got '${text}'`,
    );
  }
  return sizes;
}
