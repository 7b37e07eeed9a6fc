import { requireParamCount, requirePositive, requireUpdateSizes } from './hyperparameters.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { loadBuffers } from './saved-state.js';

export interface AdaGradOptions {
  /** Default 0.01, as the book. */
  readonly lr?: number;
}

/** The book's constant: keeps the first step finite where a gradient is still zero. */
const EPSILON = 1e-7;

/**
 * AdaGrad: h ← h + g², W ← W − η·g / (√h + 1e-7). Each weight's step shrinks as its squared gradients pile up,
 * so weights that have moved a lot take smaller steps.
 */
export class AdaGrad implements Optimizer {
  readonly name = 'adagrad';
  readonly lr: number;
  readonly paramCount: number;
  private readonly squares: Float32Array;

  constructor(paramCount: number, options: AdaGradOptions = {}) {
    this.paramCount = requireParamCount('adagrad', paramCount);
    this.lr = requirePositive('adagrad', 'lr', options.lr ?? 0.01);
    this.squares = new Float32Array(paramCount);
  }

  update(params: Float32Array, grads: Float32Array): void {
    requireUpdateSizes('adagrad', this.paramCount, params, grads);
    const { lr, squares: h } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      h[i] += g * g;
      params[i] -= (lr * g) / (Math.sqrt(h[i]) + EPSILON);
    }
  }

  state(): OptimizerState {
    return { scalars: {}, buffers: { h: this.squares.slice() } };
  }

  loadState(state: OptimizerState): void {
    loadBuffers('adagrad', state, { h: this.squares }, []);
  }
}
