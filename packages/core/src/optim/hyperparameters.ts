import { OptimizerError } from './optimizer-error.js';

/** Rejects NaN, ±Infinity and anything ≤ 0 (a learning rate or epsilon of 0 never moves or divides by zero). */
export function requirePositive(optimizer: string, name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new OptimizerError(
      'ERR_OPTIMIZER_HYPERPARAMETER',
      `${optimizer}: ${name} must be a finite number > 0, got ${value}`,
    );
  }
  return value;
}

/** Decay factors live in [0, 1): at 1 the running average never forgets, and above it grows without bound. */
export function requireUnitInterval(optimizer: string, name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value >= 1) {
    throw new OptimizerError(
      'ERR_OPTIMIZER_HYPERPARAMETER',
      `${optimizer}: ${name} must be in [0, 1), got ${value}`,
    );
  }
  return value;
}

export function requireParamCount(optimizer: string, paramCount: number): number {
  if (!Number.isSafeInteger(paramCount) || paramCount <= 0) {
    throw new OptimizerError(
      'ERR_OPTIMIZER_SIZE',
      `${optimizer}: the parameter count must be a positive integer, got ${paramCount}`,
    );
  }
  return paramCount;
}

/** The buffers passed to `update` must be the size the optimizer was built for, or its state would not line up. */
export function requireUpdateSizes(
  optimizer: string,
  paramCount: number,
  params: Float32Array,
  grads: Float32Array,
): void {
  if (params.length !== paramCount || grads.length !== paramCount) {
    throw new OptimizerError(
      'ERR_OPTIMIZER_SIZE',
      `${optimizer}: built for ${paramCount} parameters but update got params of ${params.length} and grads of ${grads.length}`,
    );
  }
}
