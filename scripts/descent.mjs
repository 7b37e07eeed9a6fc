#!/usr/bin/env node
// Runs the `descent` CLI from any state of the checkout: builds what changed (turbo caches the rest), then execs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', '--log-prefix=none'], {
  cwd: root,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) {
  process.stderr.write('descent: the build failed; run `pnpm build` to see why.\n');
  process.exit(build.status ?? 1);
}
const main = fileURLToPath(new URL('../packages/cli/dist/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write(`descent: ${main} is missing after the build.\n`);
  process.exit(1);
}
const run = spawnSync(process.execPath, [main, ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
if (run.signal) process.kill(process.pid, run.signal);
process.exit(run.status ?? 1);
