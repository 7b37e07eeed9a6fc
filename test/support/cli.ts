import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll } from 'vitest';

/** The built CLI: end-to-end tests run what a user runs. `pnpm test` builds it first (turbo: test → build). */
export const cliPath = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  child: ChildProcess;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when stdout or stderr has printed text matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  done: Promise<Finished>;
}

const live = new Set<ChildProcess>();

/**
 * `netns`: run inside that network namespace (`ip netns exec`), as a separate host would. `input`: written to
 * stdin, which is then closed (otherwise there is none).
 */
export function startCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  netns?: string,
  input?: string,
): Started {
  const command = netns ? ['ip', 'netns', 'exec', netns, process.execPath] : [process.execPath];
  const child = spawn(command[0], [...command.slice(1), cliPath, ...args], {
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin?.end(input);
  live.add(child);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of waiters) w();
  };
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    notify();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    notify();
  });
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => {
      live.delete(child);
      notify();
      resolve({ code, signal, stdout, stderr });
    });
  });
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = stdout.match(pattern) ?? stderr.match(pattern);
        if (m) {
          cleanup();
          resolve(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          reject(new Error(`process ended before printing ${pattern}:\n${stdout}\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${pattern}:\n${stdout}\n${stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return { child, output: () => ({ stdout, stderr }), waitFor, done };
}

export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return startCli(args, env).done;
}

/** Kills every process a test started and did not reap; call from afterEach. */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export function tempDir(prefix = 'descent-e2e-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface Summary {
  finalTestAcc: number;
  finalTrainAcc: number;
  steps: number;
  workers: number;
  exchange: 'factors' | 'params';
  backend: string;
  paramsSha256: string;
  [key: string]: unknown;
}

export function readSummary(runDir: string): Summary {
  return JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
}

/** The worker names a run's shard counts list, without the `#id` the coordinator appends to tell reconnections apart. */
export function workerNames(summary: Summary): string[] {
  return Object.keys(summary.shardsByWorker as Record<string, number>)
    .map((key) => key.replace(/#\d+$/, ''))
    .sort();
}

/** Trains `args` in one process, undisturbed, and returns its paramsSha256: what every disturbed run must end with. */
export async function undisturbedSha(
  args: readonly string[],
  out: string,
  name = 'reference',
): Promise<string> {
  const run = await runCli(['train', '--workers', '0', ...args, '--out', out, '--name', name]);
  if (run.code !== 0) throw new Error(`the undisturbed run failed (exit ${run.code}):\n${run.stderr}`);
  return readSummary(join(out, name)).paramsSha256;
}

/**
 * For one describe block: a temp directory removed afterwards, every started CLI process killed after each
 * test, and the paramsSha256 of an undisturbed one-process run of `args`, which disturbed runs must match.
 */
export function withReference(args: readonly string[]): {
  readonly out: { readonly path: string };
  reference(): string;
} {
  const out = tempDir();
  let sha = '';
  afterEach(killAll);
  beforeAll(async () => {
    sha = await undisturbedSha(args, out.path);
    return () => out.remove();
  });
  return { out, reference: () => sha };
}
