#!/usr/bin/env node
import type { Command } from './command.js';
import { commandLoaders, loadCommands } from './commands/index.js';
import { UsageError } from './errors.js';
import { helpText, parseFlags } from './flags.js';

async function overview(): Promise<string> {
  const commands = await loadCommands();
  const rows = commands.map((c) => `  ${c.spec.name.padEnd(20)} ${c.spec.summary}`);
  return [
    'usage: descent <command> [flags]',
    '',
    'Commands:',
    ...rows,
    '',
    'Run `descent <command> --help` for its flags.',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await overview()}\n`);
    return name === undefined ? 2 : 0;
  }
  // `descent bench scale` is a command of its own with its own flags.
  const scale = name === 'bench' && rest[0] === 'scale';
  if (scale) rest.shift();
  const command = await findCommand(name, scale);
  const values = parseFlags(command.spec, rest);
  if (values === 'help') {
    process.stdout.write(`${helpText(command.spec)}\n`);
    return 0;
  }
  return command.run(values);
}

async function findCommand(name: string, scale: boolean): Promise<Command> {
  if (scale) return (await import('./commands/bench-scale.js')).benchScaleCommand;
  const load = Object.hasOwn(commandLoaders, name) ? commandLoaders[name] : undefined;
  if (!load)
    throw new UsageError(`unknown command '${name}'. Commands: ${Object.keys(commandLoaders).join(', ')}`);
  return load();
}

/**
 * descent's own errors carry a stable code and a message written for the user: print the message alone. Node's
 * own errors (ENOENT, ERR_…, thrown as plain Error/TypeError/RangeError) were not anticipated, so they keep
 * their stack.
 */
function isUserFacing(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  const nodeError =
    /^(E[A-Z]+|ERR_[A-Z_]+)$/.test(code) &&
    ['Error', 'TypeError', 'RangeError', 'SystemError'].includes(err.name);
  return !nodeError;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (isUserFacing(err)) {
      process.stderr.write(`descent: ${err.message}\n`);
      process.exitCode = err instanceof UsageError ? 2 : 1;
    } else {
      process.stderr.write(
        `descent: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
