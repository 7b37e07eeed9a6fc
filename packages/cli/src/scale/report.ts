import type { RunOutcome } from './run-one.js';
import { PHASES, type Phase } from './step-stats.js';

/** One row of the results table: a run and how it compares with 1 worker under the same conditions. */
export interface ScaleRow {
  readonly outcome: RunOutcome;
  readonly speedup: number | null;
  readonly efficiency: number | null;
}

function conditions(o: RunOutcome): string {
  const c = o.config;
  return [
    c.model,
    c.batch,
    c.shards,
    c.link ?? '',
    c.straggler ?? '',
    c.backupShards,
    c.wire,
    c.exchange,
    c.targetAcc ?? '',
  ].join('|');
}

/** Speed-up and efficiency of every run against the 1-worker run of the same model, batch, link and options. */
export function compareWithOneWorker(outcomes: readonly RunOutcome[]): ScaleRow[] {
  const one = new Map<string, RunOutcome>();
  for (const o of outcomes) if (o.config.workers === 1) one.set(conditions(o), o);
  return outcomes.map((outcome) => {
    const base = one.get(conditions(outcome));
    if (!base || base.summary.samplesPerSecond <= 0) return { outcome, speedup: null, efficiency: null };
    const speedup = outcome.summary.samplesPerSecond / base.summary.samplesPerSecond;
    return { outcome, speedup, efficiency: speedup / outcome.config.workers };
  });
}

const fixed = (v: number | null | undefined, digits: number) =>
  v === null || v === undefined || !Number.isFinite(v) ? '' : v.toFixed(digits);

export function toCsv(rows: readonly ScaleRow[]): string {
  const head = [
    'label',
    'model',
    'batch',
    'workers',
    'shards',
    'link',
    'straggler',
    'backup_shards',
    'wire',
    'exchange',
    'steps',
    'samples_per_s',
    'speedup',
    'efficiency',
    'step_ms_median',
    'step_ms_p95',
    ...PHASES.flatMap((p) => [`${p}_ms_median`, `${p}_ms_p95`]),
    'test_acc',
    'tta_seconds',
    'params_sha256',
  ];
  const lines = rows.map(({ outcome: o, speedup, efficiency }) => {
    const c = o.config;
    return [
      o.label,
      c.model,
      c.batch,
      c.workers,
      c.shards,
      c.link ?? 'loopback',
      c.straggler ?? '',
      c.backupShards,
      c.wire,
      o.exchange,
      o.summary.steps,
      fixed(o.summary.samplesPerSecond, 1),
      fixed(speedup, 3),
      fixed(efficiency, 3),
      fixed(o.summary.stepMs.median, 3),
      fixed(o.summary.stepMs.p95, 3),
      ...PHASES.flatMap((p) => [fixed(o.summary.phases[p].median, 3), fixed(o.summary.phases[p].p95, 3)]),
      fixed(o.testAcc, 4),
      fixed(o.reached?.trainSeconds, 2),
      o.paramsSha256 ?? '',
    ]
      .map((v) => (String(v).includes(',') ? `"${v}"` : String(v)))
      .join(',');
  });
  return `${[head.join(','), ...lines].join('\n')}\n`;
}

const SHORT: Readonly<Record<Phase, string>> = {
  compute: 'compute',
  imbalance: 'slowest',
  transfer: 'transfer',
  aggregate: 'aggr.',
  optimizer: 'optim.',
  broadcast: 'bcast',
  dispatch: 'dispatch',
};

/** The markdown table: throughput, speed-up, efficiency and the step split (median / p95 ms). */
export function toMarkdown(rows: readonly ScaleRow[]): string {
  const extra = rows.some((r) => r.outcome.reached !== null);
  const head = [
    'model',
    'batch',
    'workers',
    'link',
    'options',
    'samples/s',
    'speed-up',
    'eff.',
    'step ms (p95)',
    ...PHASES.map((p) => `${SHORT[p]} ms`),
    ...(extra ? ['test acc', 'time to acc. s'] : []),
    'paramsSha256',
  ];
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- |').join('')}`];
  for (const { outcome: o, speedup, efficiency } of rows) {
    const c = o.config;
    const options = [
      c.straggler ? `straggler ${c.straggler}` : '',
      c.backupShards > 0 ? `backup ${c.backupShards}` : '',
      c.wire !== 'f32' ? c.wire : '',
      o.exchange === 'factors' ? 'factors' : '',
    ]
      .filter(Boolean)
      .join(', ');
    out.push(
      `| ${[
        o.config.model === 'small' ? '784-50-10' : '784-1000-1000-10',
        c.batch,
        c.workers,
        c.link ?? 'loopback',
        options || '–',
        fixed(o.summary.samplesPerSecond, 0),
        fixed(speedup, 2),
        fixed(efficiency, 2),
        `${fixed(o.summary.stepMs.median, 1)} (${fixed(o.summary.stepMs.p95, 1)})`,
        ...PHASES.map(
          (p) => `${fixed(o.summary.phases[p].median, 1)} / ${fixed(o.summary.phases[p].p95, 1)}`,
        ),
        ...(extra
          ? [fixed(o.reached?.testAcc ?? o.testAcc, 4), fixed(o.reached?.trainSeconds, 1) || 'not reached']
          : []),
        (o.paramsSha256 ?? '').slice(0, 12),
      ].join(' | ')} |`,
    );
  }
  return `${out.join('\n')}\n`;
}
