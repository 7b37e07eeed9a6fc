import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunSummary } from '../recorder.js';

const cliMain = fileURLToPath(new URL('../main.js', import.meta.url));

export interface TrainRun {
  /** Whole-process wall time, process start to exit: what a user waits. */
  readonly processSeconds: number;
  readonly summary: RunSummary;
}

/** `descent train` with the defaults (plus `extra`) in a fresh process, as the README's main command runs it. */
export function runDescentTrain(extra: readonly string[] = []): TrainRun {
  const out = mkdtempSync(join(tmpdir(), 'descent-bench-'));
  try {
    const start = performance.now();
    const run = spawnSync(
      process.execPath,
      [cliMain, 'train', '--quiet', '--out', out, '--name', 'run', ...extra],
      {
        encoding: 'utf8',
        maxBuffer: 16 << 20,
      },
    );
    const processSeconds = (performance.now() - start) / 1000;
    if (run.status !== 0) throw new Error(`descent train failed (exit ${run.status}): ${run.stderr}`);
    const summary = JSON.parse(readFileSync(join(out, 'run', 'summary.json'), 'utf8')) as RunSummary;
    return { processSeconds, summary };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
