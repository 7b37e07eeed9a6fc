import {
  requireParamCount,
  requirePositive,
  requireUnitInterval,
  requireUpdateSizes,
} from './hyperparameters.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { loadBuffers } from './saved-state.js';

export interface NesterovOptions {
  /** Default 0.01, as the book. */
  readonly lr?: number;
  /** Default 0.9, as the book. */
  readonly momentum?: number;
}

/**
 * Nesterov's accelerated gradient in the book's reformulation (arXiv 1212.0901), which needs the gradient at
 * the current point only: v ← α·v − η·g; W ← W + α²·v − (1 + α)·η·g.
 */
export class Nesterov implements Optimizer {
  readonly name = 'nesterov';
  readonly lr: number;
  readonly momentum: number;
  readonly paramCount: number;
  private readonly velocity: Float32Array;

  constructor(paramCount: number, options: NesterovOptions = {}) {
    this.paramCount = requireParamCount('nesterov', paramCount);
    this.lr = requirePositive('nesterov', 'lr', options.lr ?? 0.01);
    this.momentum = requireUnitInterval('nesterov', 'momentum', options.momentum ?? 0.9);
    this.velocity = new Float32Array(paramCount);
  }

  update(params: Float32Array, grads: Float32Array): void {
    requireUpdateSizes('nesterov', this.paramCount, params, grads);
    const { lr, momentum, velocity: v } = this;
    const lookAhead = momentum * momentum;
    const gradStep = (1 + momentum) * lr;
    for (let i = 0; i < params.length; i++) {
      v[i] = momentum * v[i] - lr * grads[i];
      params[i] += lookAhead * v[i] - gradStep * grads[i];
    }
  }

  state(): OptimizerState {
    return { scalars: {}, buffers: { v: this.velocity.slice() } };
  }

  loadState(state: OptimizerState): void {
    loadBuffers('nesterov', state, { v: this.velocity }, []);
  }
}
