import { contiguousRuns } from '@descent/coordinator';
import { treeNodes } from '@descent/core';
/**
 * An analytic model of one data-parallel step, fitted to measured runs:
 *
 *   step = c · B / p                 compute on the critical path (p workers computing at once)
 *        + h · ⌈R / n⌉               per-result cost on a worker (encoding a result of P values)
 *        + g · R                     coordinator: decoding and adding R results
 *        + b · n                     coordinator: sending the parameters to n workers
 *        + o                         optimizer, batch draw, dispatch
 *        + 2 · latency + bits / bandwidth    the link (known, not fitted)
 *
 * with n workers, S micro-shards, R results per step (one per shard-tree node handed out: about one per
 * worker with float32 gradients, S with 16-bit ones), global batch B, and p = min(n, S, cores) workers
 * actually computing at once (this machine's cores; a cluster's p is min(n, S)). Through one coordinator NIC
 * a step moves the parameters to n workers and R gradients back: bits = 8 · (4 · P · n + w · P · R), w = 4
 * or 2 bytes. The link terms come from the configured model, so the fitted coefficients need only loopback
 * runs.
 */
export interface StepModel {
  /** ms per sample, per shard, per result, per worker, per step. */
  readonly c: number;
  readonly h: number;
  readonly g: number;
  readonly b: number;
  readonly o: number;
}

export interface ModelPoint {
  readonly workers: number;
  readonly shards: number;
  /** Gradient results the coordinator receives per step. */
  readonly results: number;
  readonly batch: number;
  /** Workers that can compute at the same time (cores on this machine). */
  readonly cores: number;
  readonly params: number;
  readonly wireBytes?: number;
  readonly latencyMs?: number;
  readonly bitsPerSecond?: number;
}

function features(p: ModelPoint): number[] {
  const parallel = Math.max(1, Math.min(p.workers, p.shards, p.cores));
  return [p.batch / parallel, Math.ceil(p.results / Math.min(p.workers, p.results)), p.results, p.workers, 1];
}

function linkMs(p: ModelPoint): number {
  if (p.bitsPerSecond === undefined) return 0;
  const bits = 8 * p.params * (4 * p.workers + (p.wireBytes ?? 4) * p.results);
  return 2 * (p.latencyMs ?? 0) + (bits / p.bitsPerSecond) * 1000;
}

export function predictStepMs(model: StepModel, p: ModelPoint): number {
  const x = features(p);
  const k = [model.c, model.h, model.g, model.b, model.o];
  return x.reduce((sum, v, i) => sum + v * k[i], 0) + linkMs(p);
}

export function predictSamplesPerSecond(model: StepModel, p: ModelPoint): number {
  return (p.batch * 1000) / predictStepMs(model, p);
}

/**
 * Least squares on relative error (each row divided by its measured step time, so fast and slow
 * configurations weigh alike), with every coefficient kept ≥ 0: a negative one is fixed at 0 and the rest refit.
 */
export function fitStepModel(points: readonly ModelPoint[], stepMs: readonly number[]): StepModel {
  const n = 5;
  const active = new Set([0, 1, 2, 3, 4]);
  let coef = new Array<number>(n).fill(0);
  for (let round = 0; round < n; round++) {
    const idx = [...active];
    const ata = idx.map(() => new Array<number>(idx.length).fill(0));
    const atb = new Array<number>(idx.length).fill(0);
    points.forEach((p, r) => {
      const w = 1 / stepMs[r];
      const x = features(p);
      const y = (stepMs[r] - linkMs(p)) * w;
      idx.forEach((i, a) => {
        atb[a] += x[i] * w * y;
        idx.forEach((j, b) => {
          ata[a][b] += x[i] * w * x[j] * w;
        });
      });
    });
    const solved = solve(ata, atb);
    coef = new Array<number>(n).fill(0);
    idx.forEach((i, a) => {
      coef[i] = solved[a];
    });
    const negative = idx.filter((i) => coef[i] < 0);
    if (negative.length === 0) break;
    for (const i of negative) active.delete(i);
  }
  const [c, h, g, b, o] = coef.map((v) => Math.max(0, v));
  return { c, h, g, b, o };
}

/** Gaussian elimination with partial pivoting, and a tiny ridge so collinear columns do not blow up. */
function solve(a: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const m = a.map((row, i) => [...row.map((v, j) => v + (i === j ? 1e-9 : 0)), rhs[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const d = m[col][col] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / d;
      for (let k = col; k <= n; k++) m[r][k] -= f * m[col][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

/** Mean and largest absolute relative error of the model's samples/s on the measured points. */
export function fitError(
  model: StepModel,
  points: readonly ModelPoint[],
  stepMs: readonly number[],
): { mean: number; max: number } {
  const errors = points.map((p, i) => Math.abs(predictStepMs(model, p) - stepMs[i]) / stepMs[i]);
  return {
    mean: errors.reduce((a, b) => a + b, 0) / Math.max(1, errors.length),
    max: Math.max(0, ...errors),
  };
}

/**
 * Results per step the coordinator receives from `workers` equal workers: one per shard-tree node of each
 * worker's run of shards with float32 gradients, one per shard with 16-bit ones (which round single shards).
 */
export function resultsPerStep(workers: number, shards: number, wire: 'f32' | 'f16' | 'bf16'): number {
  if (wire !== 'f32') return shards;
  return contiguousRuns(shards, new Array<number>(workers).fill(1)).reduce(
    (sum, run) => sum + treeNodes(run.first, run.end, shards).length,
    0,
  );
}
