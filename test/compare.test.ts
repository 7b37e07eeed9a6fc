import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killAll, runCli, tempDir } from './support/cli.js';

describe('descent compare-optimizers and compare-batching', () => {
  const out = tempDir();
  afterEach(killAll);
  afterAll(() => out.remove());

  it('trains each optimizer through the coordinator on the same batches, plotting the curves and tabling final losses', async () => {
    const run = await runCli([
      'compare-optimizers',
      ...['--iters', '12', '--batch', '32', '--workers', '1', '--optimizers', 'sgd,adam'],
      ...['--out', out.path, '--name', 'opt'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const dir = join(out.path, 'opt');
    for (const f of ['loss.svg', 'loss.png', 'results.md', 'results.json'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    expect(run.stdout).toMatch(/^\| SGD +\| 0\.01 +\| \d\.\d{4}/m);
    expect(run.stdout).toMatch(/^\| Adam +\| 0\.001 +\| \d\.\d{4}/m);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { losses: number[] }[];
    expect(results.map((r) => r.losses.length)).toEqual([12, 12]);
    // Same initial weights and the same first batch: the loss before any update is identical; then they part.
    expect(results[1].losses[0]).toBe(results[0].losses[0]);
    expect(results[1].losses[5]).not.toBe(results[0].losses[5]);
  });

  it('runs full batch, mini-batch and single-sample SGD on the same number of samples', async () => {
    const run = await runCli([
      'compare-batching',
      ...['--train-size', '200', '--epochs', '2', '--mini-batch', '20', '--workers', '0'],
      ...['--out', out.path, '--name', 'batching'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const dir = join(out.path, 'batching');
    for (const f of ['loss-vs-samples.svg', 'loss-vs-samples.png', 'loss-vs-time.svg', 'loss-vs-time.png']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    // 400 samples: 2 full-batch updates, 20 of 20 samples, 400 of one.
    expect(run.stdout).toMatch(/^\| full batch \(200\) +\| 200 +\| 2 +\|/m);
    expect(run.stdout).toMatch(/^\| mini-batch \(20\) +\| 20 +\| 20 +\|/m);
    expect(run.stdout).toMatch(/^\| SGD \(1 sample\) +\| 1 +\| 400 +\|/m);
  });
});
