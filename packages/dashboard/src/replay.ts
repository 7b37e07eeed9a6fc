import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CoordinatorEvent, EvalRecord, StepRecord } from '@descent/coordinator';
import { DashboardError, DashboardErrorCode } from './dashboard-error.js';
import { RunState } from './run-state.js';
import type { WorkerProbe } from './worker-board.js';

interface RunConfigFile {
  readonly config: { readonly iters: number; readonly batch: number; readonly evalEvery: number };
  readonly data?: { readonly train?: number };
}

/**
 * A run directory read back into the dashboard's state: config.json, metrics.jsonl (steps, evaluations and
 * events as the RunRecorder wrote them), summary.json and workers.json when the run got that far.
 */
export function loadRun(dir: string): RunState {
  const path = resolve(dir);
  const configPath = join(path, 'config.json');
  if (!existsSync(configPath)) {
    throw new DashboardError(
      DashboardErrorCode.notARun,
      `${path} is not a run directory (no config.json); give a directory under runs/, e.g. runs/20250101-120000`,
    );
  }
  const file = readJson(configPath) as RunConfigFile;
  const c = file.config;
  if (!c || !(c.iters > 0) || !(c.batch > 0)) {
    throw new DashboardError(
      DashboardErrorCode.badRunFile,
      `${configPath} has no config with iters and batch`,
    );
  }
  const state = new RunState({
    title: basename(path),
    iters: c.iters,
    batch: c.batch,
    trainSize: file.data?.train ?? 60_000,
    evalEvery: c.evalEvery ?? 0,
    config: file,
    replay: true,
  });
  const metricsPath = join(path, 'metrics.jsonl');
  if (existsSync(metricsPath)) replayMetrics(state, readFileSync(metricsPath, 'utf8'), metricsPath);
  const workersPath = join(path, 'workers.json');
  if (existsSync(workersPath)) state.probe(readJson(workersPath) as WorkerProbe[]);
  const summaryPath = join(path, 'summary.json');
  if (existsSync(summaryPath)) state.finish(readJson(summaryPath) as Record<string, unknown>, '');
  return state;
}

function replayMetrics(state: RunState, text: string, path: string): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      // The last line of a run that was killed may be cut short; anything earlier is damage.
      if (i >= lines.length - 2) break;
      throw new DashboardError(DashboardErrorCode.badRunFile, `${path}:${i + 1} is not JSON`, { cause: err });
    }
    if (record.type === 'step') {
      const ms = record.ms as StepRecord['timings'];
      state.onStep({ ...(record as unknown as StepRecord), timings: ms });
    } else if (record.type === 'eval') {
      state.onEval(record as unknown as EvalRecord);
    } else if (record.type === 'event') {
      const event = { ...record, type: record.event } as unknown as CoordinatorEvent;
      state.onEvent(event, typeof record.time === 'string' ? record.time : '');
    }
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new DashboardError(
      DashboardErrorCode.badRunFile,
      `cannot read ${path}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
