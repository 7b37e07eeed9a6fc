import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killAll, readSummary, runCli, tempDir } from './support/cli.js';

describe('descent eval, gradcheck and descend', () => {
  const out = tempDir();
  afterEach(killAll);
  afterAll(() => out.remove());

  it('eval reports the test accuracy a run ended with, from its checkpoint', async () => {
    const run = await runCli([
      'train',
      '--workers',
      '0',
      '--iters',
      '50',
      '--quiet',
      '--out',
      out.path,
      '--name',
      'e',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = readSummary(join(out.path, 'e'));
    const evaluated = await runCli(['eval', '--checkpoint', join(out.path, 'e', 'checkpoint')]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = JSON.parse(evaluated.stdout.trim().split('\n').pop() ?? '{}') as {
      testAcc: number;
      step: number;
    };
    expect(result.step).toBe(50);
    expect(result.testAcc).toBe(summary.finalTestAcc);
  });

  it('eval refuses a directory that holds no checkpoint, naming it', async () => {
    const evaluated = await runCli(['eval', '--checkpoint', out.path]);
    expect(evaluated.code).toBe(1);
    expect(evaluated.stderr).toContain(out.path);
  });

  it('gradcheck passes every tensor of TwoLayerNet and MultiLayerNet on MNIST images', async () => {
    const run = await runCli(['gradcheck', '--entries', '40']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const name of ['W1', 'b1', 'W2', 'b2', 'W3', 'gamma1', 'beta2'])
      expect(run.stdout).toMatch(new RegExp(`ok\\s+${name}\\b`));
    expect(run.stdout).not.toMatch(/FAIL/);
  });

  it('descend prints the seed runs as JSON and draws both contour plots', async () => {
    const run = await runCli(['descend', '--out', join(out.path, 'descend')]);
    expect(run.code, run.stderr).toBe(0);
    const { trajectories } = JSON.parse(run.stdout) as {
      trajectories: { optimizer: string; points: [number, number][] }[];
    };
    const gd = trajectories.find((t) => t.optimizer === 'gd');
    expect(gd?.points).toHaveLength(21);
    const [x, y] = gd?.points[20] ?? [1, 1];
    expect(Math.hypot(x, y)).toBeLessThan(0.1);
    expect(trajectories.map((t) => t.optimizer)).toEqual([
      'gd',
      'sgd',
      'momentum',
      'nesterov',
      'adagrad',
      'rmsprop',
      'adam',
    ]);
    for (const f of ['sphere.svg', 'sphere.png', 'bowl.svg', 'bowl.png'])
      expect(existsSync(join(out.path, 'descend', f)), f).toBe(true);
  });
});
