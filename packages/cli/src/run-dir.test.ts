import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { RunDirectory } from './run-dir.js';

describe('RunDirectory', () => {
  const roots: string[] = [];
  const root = () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-rundir-'));
    roots.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gives runs without a name distinct directories', () => {
    const out = root();
    const a = RunDirectory.create(out);
    const b = RunDirectory.create(out);
    expect(a.path).not.toBe(b.path);
    expect(readdirSync(out)).toHaveLength(2);
  });

  it('refuses a named directory that already holds a run, pointing at --resume', () => {
    const out = root();
    RunDirectory.create(out, 'seed').writeJson('config.json', {});
    expect(() => RunDirectory.create(out, 'seed')).toThrow(/already holds a run.*--resume/);
  });

  it('appends metrics as JSON lines and flushes them on close', async () => {
    const dir = RunDirectory.create(root(), 'm');
    dir.appendMetric({ type: 'step', step: 0 });
    dir.appendMetric({ type: 'step', step: 1 });
    dir.close();
    const lines = readFileSync(join(dir.path, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).step)).toEqual([0, 1]);
  });

  it('writes a line after a quiet spell at once, and the lines right after it within a quarter second', async () => {
    const dir = RunDirectory.create(root(), 'live');
    const file = join(dir.path, 'metrics.jsonl');
    dir.appendMetric({ type: 'event', event: 'ready' });
    expect(readFileSync(file, 'utf8')).toBe('{"type":"event","event":"ready"}\n');
    dir.appendMetric({ type: 'step', step: 0 });
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(2);
    await sleep(400);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
    dir.appendMetric({ type: 'step', step: 1 });
    dir.appendMetric({ type: 'step', step: 2 });
    dir.flushMetrics();
    expect(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).step),
    ).toEqual([undefined, 0, 1, 2]);
    dir.close();
  });
});
