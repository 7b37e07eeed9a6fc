import { type Spread, type StepRecord, spreadOf } from '@descent/coordinator';

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
  const phases = Object.fromEntries(PHASES.map((p) => [p, spreadOf(split.map((s) => s[p]))])) as Record<
    Phase,
    Spread
  >;
  return {
    steps: records.length,
    samplesPerSecond: total > 0 ? (records.length * batch * 1000) / total : 0,
    stepMs: spreadOf(steps),
    phases,
  };
}
