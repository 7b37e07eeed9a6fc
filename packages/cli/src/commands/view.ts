import { DashboardServer, loadRun } from '@descent/dashboard';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { numberFlag, stringFlag } from '../flags.js';
import { readToken } from '../token.js';

const spec = {
  name: 'view',
  summary: "reopen a finished run's dashboard from its files (runs/NAME)",
  positional: { name: 'run', help: 'the run directory, e.g. runs/20250101-120000' },
  flags: {
    run: { type: 'string', value: 'RUN_DIR', help: 'the run directory (or give it as the argument)' },
    host: {
      type: 'string',
      value: 'HOST',
      help: 'address to bind; anything but loopback needs a token',
      default: '127.0.0.1',
    },
    port: { type: 'string', value: 'PORT', help: 'port of the page (0 picks a free one)', default: '0' },
    'token-file': {
      type: 'string',
      value: 'FILE',
      help: 'file holding the shared secret (or set DESCENT_TOKEN); needed beyond loopback',
    },
  },
} as const;

export const viewCommand: Command = {
  spec,
  async run(values) {
    const dir = stringFlag(values, 'run', spec);
    if (dir === undefined) throw new UsageError('give the run directory: descent view runs/NAME');
    const state = loadRun(dir);
    const server = await DashboardServer.start({
      state,
      host: stringFlag(values, 'host', spec),
      port: numberFlag(values, 'port', spec, { integer: true, min: 0, max: 65535 }),
      token: readToken(stringFlag(values, 'token-file', spec)),
    });
    process.stdout.write(
      `descent view: ${dir} (${state.stepsDone} steps) at ${server.url}; Ctrl-C stops serving\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  },
};
