import type { StepRecord } from '@descent/coordinator';

/** The parts a step's time is split into; they add up to the step. */
export const PHASES = [
  'compute',
  'imbalance',
  'transfer',
  'aggregate',
  'optimizer',
  'broadcast',
  'dispatch',
] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_HELP: Readonly<Record<Phase, string>> = {
  compute: 'worker compute, mean over the workers that had shards',
  imbalance: 'wait for the slowest: its compute minus the mean',
  transfer: 'encode, transfer and decode of tasks and results, and queueing (the wait beyond compute)',
  aggregate: 'checking results and adding them in shard order',
  optimizer: 'dividing by B and the update rule',
  broadcast: 'encoding the parameters once and sending them to every worker',
  dispatch: 'drawing the batch and sending the tasks',
};

export interface Spread {
  readonly median: number;
  readonly p95: number;
}

/** A step's time split into PHASES, in ms. */
export function phasesOf(record: StepRecord): Record<Phase, number> {
  const t = record.timings;
  const computes = Object.values(t.computeMs);
  const mean = computes.length > 0 ? computes.reduce((a, b) => a + b, 0) / computes.length : 0;
  const max = computes.length > 0 ? Math.max(...computes) : 0;
  return {
    compute: mean,
    imbalance: max - mean,
    // The aggregation runs inside the wait, as results come in; what remains is the network and codec.
    transfer: Math.max(0, t.waitMs - max - t.aggregateMs),
    aggregate: t.aggregateMs,
    optimizer: t.optimizerMs,
    broadcast: t.broadcastMs,
    dispatch: t.dispatchMs,
  };
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
  return { median: at(0.5), p95: at(0.95) };
}

export interface StepSummary {
  readonly steps: number;
  readonly samplesPerSecond: number;
  readonly stepMs: Spread;
  readonly phases: Record<Phase, Spread>;
}

/** Throughput and per-phase medians and p95 over the measured steps (warm-up already dropped). */
export function summarizeSteps(records: readonly StepRecord[], batch: number): StepSummary {
  const steps = records.map((r) => r.timings.stepMs);
  const total = steps.reduce((a, b) => a + b, 0);
  const split = records.map(phasesOf);
  const phases = Object.fromEntries(PHASES.map((p) => [p, spread(split.map((s) => s[p]))])) as Record<
    Phase,
    Spread
  >;
  return {
    steps: records.length,
    samplesPerSecond: total > 0 ? (records.length * batch * 1000) / total : 0,
    stepMs: spread(steps),
    phases,
  };
}
