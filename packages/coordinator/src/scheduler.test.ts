import { treeNodes } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler.js';
import type { WorkerLink } from './worker-link.js';

const link = (name: string): WorkerLink => ({
  id: 0,
  name,
  type: 'in-process',
  send: () => {},
  sendEncoded: () => {},
  close: () => {},
});

function scheduler(workers: number): Scheduler {
  const s = new Scheduler({
    taskTimeoutMs: 1000,
    slowRoundMs: 1000,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    emit: () => {},
    resync: () => {},
  });
  for (let i = 0; i < workers; i++) s.addWorker(link(`w${i}`));
  return s;
}

describe('Scheduler.split', () => {
  it('gives equal workers one contiguous run each, cut where the shard tree has few nodes', () => {
    const runs = (workers: number, units: number) =>
      scheduler(workers)
        .split(units)
        .map((r) => [r.link.name, r.first, r.end]);
    expect(runs(1, 16)).toEqual([['w0', 0, 16]]);
    expect(runs(2, 16)).toEqual([
      ['w0', 0, 8],
      ['w1', 8, 16],
    ]);
    expect(runs(4, 16).map(([, f, e]) => `${f}-${e}`)).toEqual(['0-4', '4-8', '8-12', '12-16']);
    const three = scheduler(3).split(16);
    expect(three.map((r) => r.end - r.first).reduce((a, b) => a + b, 0)).toBe(16);
    for (const r of three) expect(treeNodes(r.first, r.end, 16).length).toBeLessThanOrEqual(2);
  });

  it('covers every unit exactly once, in order, for any worker count', () => {
    for (let workers = 1; workers <= 9; workers++) {
      for (const units of [1, 3, 4, 7, 16, 33]) {
        const runs = scheduler(workers).split(units);
        let next = 0;
        for (const r of runs) {
          expect(r.first).toBe(next);
          expect(r.end).toBeGreaterThan(r.first);
          next = r.end;
        }
        expect(next).toBe(units);
      }
    }
  });
});
