import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, runCli, tempDir } from './support/cli.js';

const out = tempDir('descent-scale-');
afterAll(() => {
  killAll();
  out.remove();
});

interface Row {
  readonly outcome: {
    readonly config: { readonly workers: number; readonly backupShards: number; readonly wire: string };
    readonly paramsSha256: string;
    readonly summary: { readonly samplesPerSecond: number };
  };
  readonly speedup: number | null;
}

describe('descent bench scale', () => {
  it('runs a tiny sweep in fresh processes and writes the table, data, figures and Chrome traces; backup shards and a 16-bit wire keep one sha per wire across worker counts', async () => {
    const run = await runCli([
      'bench',
      'scale',
      '--workers',
      '1,2',
      '--batch',
      '60',
      '--models',
      'small',
      '--steps',
      '3',
      '--warmup',
      '1',
      '--backup-shards',
      '0,1',
      '--wire',
      'f32,bf16',
      '--trace',
      '--out',
      out.path,
    ]);
    expect(run.code, run.stderr).toBe(0);
    for (const file of [
      'results.json',
      'results.csv',
      'results.md',
      'throughput-small.svg',
      'breakdown-small-b60.png',
    ])
      expect(existsSync(join(out.path, file)), file).toBe(true);
    const { rows } = JSON.parse(readFileSync(join(out.path, 'results.json'), 'utf8')) as { rows: Row[] };
    // w1 and w2 for each wire, and w2 with one backup per shard (w1 has no other worker to back it up).
    expect(rows).toHaveLength(6);
    for (const wire of ['f32', 'bf16']) {
      const shas = new Set(
        rows.filter((r) => r.outcome.config.wire === wire).map((r) => r.outcome.paramsSha256),
      );
      expect(shas.size, wire).toBe(1);
    }
    expect(rows.find((r) => r.outcome.config.workers === 1)?.speedup).toBe(1);
    expect(readFileSync(join(out.path, 'results.csv'), 'utf8').split('\n')[0]).toContain('transfer_ms_p95');
    const trace = JSON.parse(
      readFileSync(join(out.path, 'traces', 'small-b60-w2-backup1', 'trace.json'), 'utf8'),
    ) as { traceEvents: { name: string; pid: number }[] };
    const names = new Set(trace.traceEvents.map((e) => e.name));
    for (const phase of ['compute', 'encode', 'send', 'wait', 'broadcast', 'optimizer'])
      expect(names.has(phase), phase).toBe(true);
    expect(new Set(trace.traceEvents.map((e) => e.pid)).size).toBe(3);
  });
});
