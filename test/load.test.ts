import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, readSummary, runCli, startCli, tempDir } from './support/cli.js';
import { metrics, untilSteps } from './support/run-files.js';

/** Resident and peak resident memory of a process, in MiB, from /proc. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

describe('load', () => {
  const out = tempDir();
  afterEach(killAll);
  beforeAll(() => () => out.remove());

  it('trains the seed model for 500 steps with 16 local workers without an error, to the one-process weights', async () => {
    const run = ['--iters', '500', '--eval-every', '100000', '--seed', '23', '--quiet', '--backend', 'js'];
    const one = await runCli(['train', '--workers', '0', ...run, '--out', out.path, '--name', 'one']);
    expect(one.code, one.stderr).toBe(0);
    const many = await runCli(['train', '--workers', '16', ...run, '--out', out.path, '--name', 'sixteen']);
    expect(many.code, many.stderr).toBe(0);
    expect(many.stderr).not.toMatch(/lost|rejected|refused|error/i);
    const summary = readSummary(join(out.path, 'sixteen'));
    console.log(`16 workers: ${summary.steps} steps in ${Number(summary.wallSeconds).toFixed(1)} s wall`);
    expect(summary.workers).toBe(16);
    expect(summary.steps).toBe(500);
    expect(summary.paramsSha256).toBe(readSummary(join(out.path, 'one')).paramsSha256);
  });

  it("keeps the coordinator's memory flat over a 5,000-step soak", async () => {
    // Small batches: every step still sends tasks, takes results and broadcasts the whole net, cheaply.
    const dir = join(out.path, 'soak');
    const c = startCli([
      'coordinator',
      '--port',
      '0',
      '--iters',
      '5000',
      '--batch',
      '8',
      '--eval-every',
      '100000',
      '--checkpoint-every',
      '1000',
      '--seed',
      '29',
      '--quiet',
      '--backend',
      'js',
      '--out',
      out.path,
      '--name',
      'soak',
    ]);
    const [, url] = await c.waitFor(/descent worker --connect (ws:\/\/\S+)/);
    startCli(['worker', '--connect', url, '--backend', 'js']);
    const pid = c.child.pid as number;
    await untilSteps(dir, 500, 120_000);
    const start = memory(pid);
    // Sampled well before the last steps (metrics reach the file up to a quarter second late): the figures
    // drawn after training are a one-off, not growth.
    await untilSteps(dir, 4000, 120_000);
    const end = memory(pid);
    const done = await c.done;
    expect(done.code, done.stderr).toBe(0);
    expect(metrics(dir).filter((m) => m.type === 'step')).toHaveLength(5000);
    console.log(
      `soak: coordinator RSS ${start.rss.toFixed(0)} MiB (peak ${start.peak.toFixed(0)}) at step 500, ` +
        `${end.rss.toFixed(0)} MiB (peak ${end.peak.toFixed(0)}) at step 4000`,
    );
    expect(end.rss - start.rss).toBeLessThan(64);
  });
});
