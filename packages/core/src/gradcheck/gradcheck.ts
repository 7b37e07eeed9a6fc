import type { Net } from '../nets/net.js';
import { addWeightDecayGradient, weightDecayLoss } from '../nets/weight-decay.js';
import { Rng } from '../rng.js';

export interface GradcheckOptions {
  /**
   * Steps h, tried in order until a difference quotient agrees with backprop (default [1e-2, 3e-3, 1e-3]);
   * at each, the central difference and then the two one-sided ones. The nets compute in float32, so the
   * loss carries rounding noise of about 1e-7 of its size, which a large step divides away; but a step may
   * straddle a kink (a ReLU switching on or off between x − h and x + h), where only the side without it
   * sees the slope. Every quotient estimates the same derivative, so a wrong backward disagrees with all.
   */
  readonly steps?: readonly number[];
  /** Largest relative error an entry may have (default 1e-2). */
  readonly tolerance?: number;
  /**
   * Below this magnitude an entry is compared absolutely: its error is |a − n| / max(|a|, |n|, floor)
   * (default 1e-3, for entries whose true gradient is ~0, such as a bias before batch norm).
   */
  readonly floor?: number;
  /** Check at most this many entries per tensor, drawn at random (default: all). */
  readonly maxEntries?: number;
  /** Seeds the dropout masks (the same in every evaluation) and the entry sampling (default 0). */
  readonly seed?: number;
}

export interface TensorCheck {
  readonly name: string;
  /** How many entries were compared. */
  readonly checked: number;
  /** How many of them agreed only at a smaller step than the first, or one-sidedly. */
  readonly retried: number;
  /** Over the entries, each at its best step. */
  readonly maxAbsDiff: number;
  readonly maxRelError: number;
  /** Where the largest relative error is, as an index into the tensor (−1 if none). */
  readonly worstIndex: number;
  readonly ok: boolean;
}

export interface GradcheckReport {
  readonly ok: boolean;
  readonly tolerance: number;
  readonly tensors: readonly TensorCheck[];
}

/**
 * Compares backprop with central differences, tensor by tensor, on the per-step objective
 * L = (Σ cross-entropy over the rows) / rows + λ/2·Σ‖W‖², in train mode with a fixed dropout mask. The
 * analytic side is `gradientSum` / rows plus `addWeightDecayGradient`. The numerical side reads the net's
 * float32 logits but forms the loss from them in double precision, independently of the backend.
 */
export function gradcheck(
  net: Net,
  x: Float32Array,
  labels: Int32Array,
  rows: number,
  options: GradcheckOptions = {},
): GradcheckReport {
  const steps = options.steps ?? [1e-2, 3e-3, 1e-3];
  const tolerance = options.tolerance ?? 1e-2;
  const floor = options.floor ?? 1e-3;
  const seed = options.seed ?? 0;
  if (steps.length === 0 || !steps.every((h) => h > 0))
    throw new RangeError('gradcheck: steps must be positive');

  net.gradientSum(x, labels, rows, new Rng(seed));
  const analytic = Float32Array.from(net.grads, (g) => g / rows);
  addWeightDecayGradient(net, analytic);

  const objective = () => {
    const logits = net.predict(x, rows, 'train', new Rng(seed));
    return crossEntropySum(logits, labels, rows, net.outputSize) / rows + weightDecayLoss(net);
  };

  const f0 = objective();
  const sampler = new Rng(seed ^ 0x5eed);
  const tensors = net.specs.map((spec): TensorCheck => {
    const indices = chooseEntries(spec.length, options.maxEntries, sampler);
    const a = indices.map((i) => analytic[spec.offset + i]);
    let retried = 0;
    const n = indices.map((i, k) => {
      const error = (slope: number) => relativeError(a[k], slope, floor);
      let best = Number.NaN;
      for (const [s, h] of steps.entries()) {
        for (const [t, slope] of slopes(objective, net.params, spec.offset + i, h, f0).entries()) {
          if (Number.isNaN(best) || error(slope) < error(best)) best = slope;
          if (error(best) <= tolerance) {
            if (s > 0 || t > 0) retried++;
            return best;
          }
        }
      }
      return best;
    });
    const { maxAbsDiff, maxRelError, worst } = compareGradients(a, n, floor);
    return {
      name: spec.name,
      checked: indices.length,
      retried,
      maxAbsDiff,
      maxRelError,
      worstIndex: worst < 0 ? -1 : indices[worst],
      ok: maxRelError <= tolerance,
    };
  });
  return { ok: tensors.every((t) => t.ok), tolerance, tensors };
}

/** One line per tensor, for test failures and the `gradcheck` command. */
export function formatGradcheck(report: GradcheckReport): string {
  return report.tensors
    .map(
      (t) =>
        `${t.ok ? 'ok  ' : 'FAIL'} ${t.name.padEnd(8)} checked ${String(t.checked).padStart(6)}` +
        (t.retried > 0 ? ` (${t.retried} by a smaller or one-sided step)` : '') +
        `  max |Δ| ${t.maxAbsDiff.toExponential(2)}  max rel ${t.maxRelError.toExponential(2)}` +
        ` (tolerance ${report.tolerance})` +
        (t.ok || t.worstIndex < 0 ? '' : ` worst at [${t.worstIndex}]`),
    )
    .join('\n');
}

export interface GradientComparison {
  readonly maxAbsDiff: number;
  /** max over entries of |a − n| / max(|a|, |n|, floor); NaN if any entry is NaN. */
  readonly maxRelError: number;
  /** The entry with the largest relative error (−1 when empty). */
  readonly worst: number;
}

/** How far an analytic gradient is from a numerical one, entry by entry. */
export function compareGradients(
  analytic: ArrayLike<number>,
  numerical: ArrayLike<number>,
  floor = 1e-3,
): GradientComparison {
  if (analytic.length !== numerical.length) throw new RangeError('compareGradients: lengths differ');
  let maxAbsDiff = 0;
  let maxRelError = 0;
  let worst = -1;
  for (let i = 0; i < analytic.length; i++) {
    const rel = relativeError(analytic[i], numerical[i], floor);
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(analytic[i] - numerical[i]));
    if (!(rel <= maxRelError) && !Number.isNaN(maxRelError)) {
      maxRelError = rel;
      worst = i;
    }
  }
  return { maxAbsDiff, maxRelError, worst };
}

/**
 * The central difference at step h, then the one-sided ones: where a kink lies between x − h and x + h,
 * the side without it still sees the true slope (to within h·f″/2).
 */
function slopes(f: () => number, params: Float32Array, i: number, h: number, f0: number): number[] {
  const saved = params[i];
  params[i] = saved + h;
  const plus = params[i];
  const fPlus = f();
  params[i] = saved - h;
  const minus = params[i];
  const fMinus = f();
  params[i] = saved;
  return [(fPlus - fMinus) / (plus - minus), (fPlus - f0) / (plus - saved), (f0 - fMinus) / (saved - minus)];
}

function relativeError(a: number, n: number, floor: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor);
}

/** Σ over rows of log Σ_j e^z[j] − z[label], in double precision (max subtracted). */
export function crossEntropySum(
  logits: Float32Array,
  labels: Int32Array,
  rows: number,
  cols: number,
): number {
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const row = logits.subarray(i * cols, (i + 1) * cols);
    const max = row.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    loss += max + Math.log(sum) - row[labels[i]];
  }
  return loss;
}

function chooseEntries(length: number, maxEntries: number | undefined, rng: Rng): number[] {
  const all = Array.from({ length }, (_, i) => i);
  if (maxEntries === undefined || maxEntries >= length) return all;
  // A partial Fisher–Yates shuffle: the first maxEntries of a random permutation, in index order.
  for (let i = 0; i < maxEntries; i++) {
    const j = i + rng.nextInt(length - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, maxEntries).sort((p, q) => p - q);
}
