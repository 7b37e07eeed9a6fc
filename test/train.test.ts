import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, readSummary, runCli, startCli, tempDir } from './support/cli.js';

/** Process ids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent; the command name before it is in parentheses.
        return Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

// A short run of the seed recipe: long enough to learn, short enough for CI on two cores.
const SHORT = ['--iters', '120', '--eval-every', '60', '--seed', '7', '--quiet'];

describe('descent train', () => {
  const out = tempDir();
  const hashes = new Map<string, string>();
  afterEach(killAll);

  beforeAll(() => () => out.remove());

  it('trains in one process and writes the run directory with the seed lines, figures and summary', async () => {
    const run = await runCli(['train', '--workers', '0', ...SHORT, '--out', out.path, '--name', 'w0']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^train acc, test acc \| 0\.\d{4}, 0\.\d{4}$/m);
    const dir = join(out.path, 'w0');
    for (const f of [
      'config.json',
      'metrics.jsonl',
      'summary.json',
      'loss.svg',
      'loss.png',
      'loss-zoom.png',
      'accuracy.svg',
      'accuracy.png',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(existsSync(join(dir, 'checkpoint', 'model.safetensors'))).toBe(true);
    const summary = readSummary(dir);
    expect(summary.steps).toBe(120);
    // Chance is 0.1; 120 steps of the seed recipe reach about 0.77.
    expect(summary.finalTestAcc).toBeGreaterThan(0.6);
    expect(summary.paramsSha256).toMatch(/^[0-9a-f]{64}$/);
    for (const key of [
      'finalTrainAcc',
      'wallSeconds',
      'trainSeconds',
      'trainSamplesPerSecond',
      'workers',
      'backend',
    ]) {
      expect(summary, key).toHaveProperty(key);
    }
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'step')).toHaveLength(120);
    expect(lines.filter((l) => l.type === 'eval').length).toBeGreaterThanOrEqual(2);
    hashes.set('0', summary.paramsSha256);
  });

  it('gives the same paramsSha256 for the same seed twice', async () => {
    const run = await runCli(['train', '--workers', '0', ...SHORT, '--out', out.path, '--name', 'w0-again']);
    expect(run.code, run.stderr).toBe(0);
    expect(readSummary(join(out.path, 'w0-again')).paramsSha256).toBe(hashes.get('0'));
  });

  it('gives a different paramsSha256 for another seed', async () => {
    const args = SHORT.map((a) => (a === '7' ? '8' : a));
    const run = await runCli(['train', '--workers', '0', ...args, '--out', out.path, '--name', 'other-seed']);
    expect(run.code, run.stderr).toBe(0);
    expect(readSummary(join(out.path, 'other-seed')).paramsSha256).not.toBe(hashes.get('0'));
  });

  for (const workers of ['1', '2', '4']) {
    it(`gives bitwise the same weights with ${workers} local worker processes as in one process`, async () => {
      const run = await runCli([
        'train',
        '--workers',
        workers,
        ...SHORT,
        '--out',
        out.path,
        '--name',
        `w${workers}`,
      ]);
      expect(run.code, run.stderr).toBe(0);
      const summary = readSummary(join(out.path, `w${workers}`));
      expect(summary.workers).toBe(Number(workers));
      expect(summary.paramsSha256).toBe(hashes.get('0'));
    });
  }

  it('stops with a clear error instead of waiting for ever when every local worker process dies', async () => {
    const run = startCli([
      'train',
      '--workers',
      '2',
      '--iters',
      '1000000',
      '--quiet',
      '--no-dashboard',
      '--out',
      out.path,
    ]);
    await run.waitFor(/2 local workers/);
    await new Promise((r) => setTimeout(r, 1500));
    for (const pid of childrenOf(run.child.pid ?? -1)) process.kill(pid, 'SIGKILL');
    const done = await run.done;
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/every local worker process exited before the run ended/);
  });

  it('refuses a wrong flag with a message naming it, and exits 2', async () => {
    const run = await runCli(['train', '--learning-rate', '0.1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--learning-rate/);
    expect(run.stderr).toMatch(/descent train --help/);
  });

  it('refuses a bad flag value with a message saying what is expected', async () => {
    const run = await runCli(['train', '--batch', 'ten']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--batch must be a whole number, got 'ten'/);
  });

  it('refuses a data directory without MNIST files, naming the files and --data', async () => {
    const empty = tempDir();
    const run = await runCli(['train', '--workers', '0', '--data', empty.path, '--out', out.path]);
    // Local workers start before the data loads: they must be stopped, or they would keep the process alive.
    const withWorkers = await runCli(['train', '--workers', '2', '--data', empty.path, '--out', out.path]);
    empty.remove();
    for (const r of [run, withWorkers]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/train-images-idx3-ubyte/);
      expect(r.stderr).not.toMatch(/ {4}at /);
    }
  });
});
