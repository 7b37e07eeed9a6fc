import type { Net } from '../nets/net.js';
import { addWeightDecayGradient, weightDecayLoss } from '../nets/weight-decay.js';
import type { Optimizer } from '../optim/optimizer.js';

export class ApplyStepError extends Error {
  readonly code = 'ERR_APPLY_STEP';

  constructor(message: string) {
    super(message);
    this.name = 'ApplyStepError';
  }
}

/**
 * The coordinator's half of a step, once every shard is summed: grad = gradSum / B, plus λ·W on the tensors
 * that take decay, then the batch-norm running statistics and the optimizer update. `net.grads` is the
 * scratch buffer (so nothing is allocated); afterwards it holds the mean gradient that was applied.
 */
export function applyStep(
  net: Net,
  optimizer: Optimizer,
  gradSum: Float32Array,
  statsSum: Float32Array,
  batchSize: number,
): void {
  if (gradSum.length !== net.params.length || statsSum.length !== net.stats.length) {
    throw new ApplyStepError(
      `gradient sum of ${gradSum.length} and stats sum of ${statsSum.length} values do not fit this net ` +
        `(${net.params.length} params, ${net.stats.length} stats)`,
    );
  }
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new ApplyStepError(`batch size must be a positive integer, got ${batchSize}`);
  }
  const grads = net.grads;
  // Divide, not multiply by 1/B: the quotient is correctly rounded, whatever B is.
  if (net.weightDecay === 0 && optimizer.updateMean !== undefined) {
    net.updateStats(statsSum, batchSize);
    optimizer.updateMean(net.params, gradSum, batchSize, grads);
    return;
  }
  net.backend.divide(grads.length, gradSum, batchSize, grads);
  addWeightDecayGradient(net, grads);
  net.updateStats(statsSum, batchSize);
  optimizer.update(net.params, grads);
}

/**
 * λ/2·Σ‖W‖² for the reported loss, which is lossSum / B + l2Penalty(net) with the parameters the batch was
 * computed with (so take it before `applyStep`).
 */
export function l2Penalty(net: Net): number {
  return weightDecayLoss(net);
}
