import {
  requireParamCount,
  requirePositive,
  requireUnitInterval,
  requireUpdateSizes,
} from './hyperparameters.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { loadBuffers } from './saved-state.js';

export interface MomentumOptions {
  /** Default 0.01, as the book. */
  readonly lr?: number;
  /** Default 0.9, as the book. */
  readonly momentum?: number;
}

/** Momentum SGD: v ← α·v − η·∂L/∂W, then W ← W + v (a ball rolling downhill keeps its speed). */
export class Momentum implements Optimizer {
  readonly name = 'momentum';
  readonly lr: number;
  readonly momentum: number;
  readonly paramCount: number;
  private readonly velocity: Float32Array;

  constructor(paramCount: number, options: MomentumOptions = {}) {
    this.paramCount = requireParamCount('momentum', paramCount);
    this.lr = requirePositive('momentum', 'lr', options.lr ?? 0.01);
    this.momentum = requireUnitInterval('momentum', 'momentum', options.momentum ?? 0.9);
    this.velocity = new Float32Array(paramCount);
  }

  update(params: Float32Array, grads: Float32Array): void {
    requireUpdateSizes('momentum', this.paramCount, params, grads);
    const { lr, momentum, velocity: v } = this;
    for (let i = 0; i < params.length; i++) {
      v[i] = momentum * v[i] - lr * grads[i];
      params[i] += v[i];
    }
  }

  state(): OptimizerState {
    return { scalars: {}, buffers: { v: this.velocity.slice() } };
  }

  loadState(state: OptimizerState): void {
    loadBuffers('momentum', state, { v: this.velocity }, []);
  }
}
