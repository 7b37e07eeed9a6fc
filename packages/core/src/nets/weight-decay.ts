import type { Net } from './net.js';

/** λ/2 · Σ‖W‖² over the tensors that take decay (0 when the net has no weight decay). */
export function weightDecayLoss(net: Net, params: Float32Array = net.params): number {
  if (net.weightDecay === 0) return 0;
  let sum = 0;
  for (const spec of net.specs) {
    if (spec.decay)
      sum += net.backend.sumSquares(params.subarray(spec.offset, spec.offset + spec.length), spec.length);
  }
  return 0.5 * net.weightDecay * sum;
}

/** grads += λ·W over the tensors that take decay; `grads` is laid out as `params` (the mean, once per step). */
export function addWeightDecayGradient(
  net: Net,
  grads: Float32Array,
  params: Float32Array = net.params,
): void {
  if (net.weightDecay === 0) return;
  for (const spec of net.specs) {
    if (!spec.decay) continue;
    const end = spec.offset + spec.length;
    net.backend.axpy(
      spec.length,
      net.weightDecay,
      params.subarray(spec.offset, end),
      grads.subarray(spec.offset, end),
    );
  }
}
