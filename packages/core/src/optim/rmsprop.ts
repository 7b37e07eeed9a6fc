import {
  requireParamCount,
  requirePositive,
  requireUnitInterval,
  requireUpdateSizes,
} from './hyperparameters.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { loadBuffers } from './saved-state.js';

export interface RmsPropOptions {
  /** Default 0.01, as the book. */
  readonly lr?: number;
  /** Default 0.99, as the book. */
  readonly decayRate?: number;
}

/** The book's constant, as in AdaGrad. */
const EPSILON = 1e-7;

/**
 * RMSProp: AdaGrad with a forgetting average, h ← ρ·h + (1 − ρ)·g², W ← W − η·g / (√h + 1e-7), so the step
 * size follows recent gradients instead of shrinking forever.
 */
export class RmsProp implements Optimizer {
  readonly name = 'rmsprop';
  readonly lr: number;
  readonly decayRate: number;
  readonly paramCount: number;
  private readonly squares: Float32Array;

  constructor(paramCount: number, options: RmsPropOptions = {}) {
    this.paramCount = requireParamCount('rmsprop', paramCount);
    this.lr = requirePositive('rmsprop', 'lr', options.lr ?? 0.01);
    this.decayRate = requireUnitInterval('rmsprop', 'decayRate', options.decayRate ?? 0.99);
    this.squares = new Float32Array(paramCount);
  }

  update(params: Float32Array, grads: Float32Array): void {
    requireUpdateSizes('rmsprop', this.paramCount, params, grads);
    const { lr, decayRate, squares: h } = this;
    const keep = 1 - decayRate;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      h[i] = decayRate * h[i] + keep * g * g;
      params[i] -= (lr * g) / (Math.sqrt(h[i]) + EPSILON);
    }
  }

  state(): OptimizerState {
    return { scalars: {}, buffers: { h: this.squares.slice() } };
  }

  loadState(state: OptimizerState): void {
    loadBuffers('rmsprop', state, { h: this.squares }, []);
  }
}
