import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { Coordinator, CoordinatorOptions } from '@descent/coordinator';
import type { DataSplits } from '@descent/core';
import { UsageError } from './errors.js';

/**
 * A metrics line after a quiet spell is written at once; the lines that follow within this long (or until this
 * many characters) wait and go out in one write. A write per step made the default run 6–10% slower end to end.
 */
const METRICS_FLUSH_MS = 250;
const METRICS_FLUSH_CHARS = 64 * 1024;

/** What config.json says of a run's data set: enough to tell it from another. */
export function dataRecord(data: DataSplits) {
  return {
    source: data.source,
    fingerprint: data.fingerprint,
    train: data.train.count,
    test: data.test.count,
  };
}

/** `runs/<name>/`: config.json, metrics.jsonl, checkpoint/, plots, summary.json. */
export class RunDirectory {
  readonly path: string;
  readonly checkpointDir: string;
  /** metrics.jsonl, opened on the first line. */
  private metricsFd: number | null = null;
  private pending = '';
  private flushTimer: NodeJS.Timeout | null = null;

  private constructor(path: string) {
    this.path = path;
    this.checkpointDir = join(path, 'checkpoint');
  }

  /** A new directory under `outDir`; `name` defaults to the start time, made unique with a suffix. */
  static create(outDir: string, name?: string): RunDirectory {
    const base = name ?? timestampName(new Date());
    let path = resolve(outDir, base);
    for (let i = 2; existsSync(path) && name === undefined; i++) path = resolve(outDir, `${base}-${i}`);
    // Writing into another run would mix its metrics and replace its checkpoint.
    if (name !== undefined && existsSync(path) && readdirSync(path).length > 0) {
      throw new UsageError(
        `run directory ${path} already holds a run; pick another --name, or continue it with --resume ${path}`,
      );
    }
    mkdirSync(path, { recursive: true });
    return new RunDirectory(path);
  }

  /** An existing run, reopened to continue it (`--resume`). */
  static open(path: string): RunDirectory {
    return new RunDirectory(resolve(path));
  }

  writeJson(file: string, value: unknown): void {
    const target = join(this.path, file);
    writeFileSync(`${target}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(`${target}.tmp`, target);
  }

  /** Appends one JSON line to metrics.jsonl: at once, or within METRICS_FLUSH_MS while lines come fast. */
  appendMetric(record: Record<string, unknown>): void {
    this.pending += `${JSON.stringify(record)}\n`;
    if (this.flushTimer === null) {
      this.flushMetrics();
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flushMetrics();
      }, METRICS_FLUSH_MS);
      this.flushTimer.unref();
    } else if (this.pending.length >= METRICS_FLUSH_CHARS) {
      this.flushMetrics();
    }
  }

  /**
   * Writes the lines still waiting, synchronously. Called on every checkpoint, so that a run killed after it
   * still has each step the checkpoint holds in its log (a resumed run draws its figures from there).
   */
  flushMetrics(): void {
    if (this.pending.length === 0) return;
    this.metricsFd ??= openSync(join(this.path, 'metrics.jsonl'), 'a');
    writeSync(this.metricsFd, this.pending);
    this.pending = '';
  }

  close(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flushMetrics();
    if (this.metricsFd !== null) closeSync(this.metricsFd);
    this.metricsFd = null;
  }
}

function timestampName(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/**
 * Starts the coordinator; when it cannot start (a bad option, a port in use), a run directory made for it is
 * removed again rather than left behind empty.
 */
export async function startOrDiscard(
  dir: RunDirectory,
  madeForThisRun: boolean,
  options: CoordinatorOptions,
): Promise<Coordinator> {
  try {
    // Loaded only now: `train` spawns its workers before it pays for loading the coordinator.
    const { Coordinator } = await import('@descent/coordinator');
    return await Coordinator.start(options);
  } catch (err) {
    dir.close();
    if (madeForThisRun) rmSync(dir.path, { recursive: true, force: true });
    throw err;
  }
}
