import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardErrorCode } from './dashboard-error.js';
import { loadRun } from './replay.js';

const dirs: string[] = [];
function runDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'descent-dash-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const config = JSON.stringify({ config: { iters: 4, batch: 10, evalEvery: 2 }, data: { train: 40 } });
const ms = { stepMs: 5, dispatchMs: 1, waitMs: 1, aggregateMs: 1, optimizerMs: 1, broadcastMs: 1 };
const metrics = [
  {
    time: '2025-01-01T00:00:00.000Z',
    type: 'event',
    event: 'join',
    worker: 'a#1',
    workerId: 1,
    link: 'socket',
  },
  { time: '2025-01-01T00:00:00.100Z', type: 'event', event: 'ready', worker: 'a#1', workerId: 1 },
  {
    type: 'step',
    step: 0,
    loss: 2.3,
    correct: 1,
    rows: 10,
    workers: 1,
    ms: { ...ms, computeMs: { 'a#1': 4 } },
  },
  {
    type: 'step',
    step: 1,
    loss: 2.0,
    correct: 2,
    rows: 10,
    workers: 1,
    ms: { ...ms, computeMs: { 'a#1': 6 } },
  },
  { type: 'eval', step: 2, epoch: 0.5, trainAcc: 0.3, testAcc: 0.25, trainLoss: 2, testLoss: 2.1, ms: 3 },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

describe('loadRun', () => {
  it('rebuilds losses, epochs, workers and the log from the files a run wrote', () => {
    const dir = runDir({
      'config.json': config,
      'metrics.jsonl': `${metrics}\n`,
      'summary.json': JSON.stringify({ wallSeconds: 3, shardsByWorker: { 'a#1': 8 } }),
      'workers.json': JSON.stringify([{ name: 'a#1', address: '127.0.0.1:4000', shards: 8, lastHeardMs: 5 }]),
    });
    const s = loadRun(dir).snapshot();
    expect(s.replay).toBe(true);
    expect(s.loss).toEqual([2.3, 2.0]);
    expect(s.epochs).toMatchObject([{ epoch: 0.5, trainAcc: 0.3 }]);
    expect(s.workers).toMatchObject([
      { name: 'a#1', address: '127.0.0.1:4000', state: 'active', shards: 8, medianComputeMs: 5 },
    ]);
    expect(s.log[0]).toMatchObject({ time: '2025-01-01T00:00:00.000Z', text: 'a#1 joined (socket)' });
    expect(s.progress.status).toBe('finished');
  });

  it('reads a run cut short, whose last metrics line is incomplete, as still unfinished', () => {
    const dir = runDir({ 'config.json': config, 'metrics.jsonl': `${metrics}\n{"type":"st` });
    const s = loadRun(dir).snapshot();
    expect(s.loss).toHaveLength(2);
    expect(s.progress.status).toBe('running');
  });

  it('refuses a directory without config.json, saying what to give instead', () => {
    const dir = runDir({});
    expect(() => loadRun(dir)).toThrow(expect.objectContaining({ code: DashboardErrorCode.notARun }));
  });
});
