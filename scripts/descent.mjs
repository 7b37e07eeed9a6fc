#!/usr/bin/env node
// Runs the `descent` CLI from any state of the checkout: builds what changed (turbo caches the rest), then execs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
// Called directly rather than through `pnpm exec`, which may not be on PATH when pnpm itself ran from npx.
const turbo = join(root, 'node_modules', '.bin', 'turbo');
const build = spawnSync(turbo, ['run', 'build', '--output-logs=errors-only', '--log-prefix=none'], {
  cwd: root,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.error || build.status !== 0) {
  if (build.error)
    process.stderr.write(
      `descent: could not run turbo (${build.error.message}); run \`pnpm install\` first.\n`,
    );
  process.stderr.write('descent: the build failed; run `pnpm build` to see why.\n');
  process.exit(build.status ?? 1);
}
const main = fileURLToPath(new URL('../packages/cli/dist/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write(`descent: ${main} is missing after the build.\n`);
  process.exit(1);
}
// Same process, same argv positions: the CLI reads process.argv.slice(2).
await import(pathToFileURL(main).href);
