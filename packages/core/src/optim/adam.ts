import {
  requireParamCount,
  requirePositive,
  requireUnitInterval,
  requireUpdateSizes,
} from './hyperparameters.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { loadBuffers, readCounter } from './saved-state.js';

export interface AdamOptions {
  /** Default 0.001, as the book. */
  readonly lr?: number;
  /** Default 0.9, as the book. */
  readonly beta1?: number;
  /** Default 0.999, as the book. */
  readonly beta2?: number;
  /** Default 1e-7, the book's constant. */
  readonly eps?: number;
}

/**
 * Adam as the book writes it (arXiv 1412.6980v8): m ← m + (1 − β1)(g − m), v ← v + (1 − β2)(g² − v), and the
 * bias correction folded into the rate, lr_t = η·√(1 − β2^t) / (1 − β1^t), W ← W − lr_t·m / (√v + ε).
 */
export class Adam implements Optimizer {
  readonly name = 'adam';
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly paramCount: number;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  /** Updates done so far: t in the bias correction. */
  private iter = 0;

  constructor(paramCount: number, options: AdamOptions = {}) {
    this.paramCount = requireParamCount('adam', paramCount);
    this.lr = requirePositive('adam', 'lr', options.lr ?? 0.001);
    this.beta1 = requireUnitInterval('adam', 'beta1', options.beta1 ?? 0.9);
    this.beta2 = requireUnitInterval('adam', 'beta2', options.beta2 ?? 0.999);
    this.eps = requirePositive('adam', 'eps', options.eps ?? 1e-7);
    this.m = new Float32Array(paramCount);
    this.v = new Float32Array(paramCount);
  }

  update(params: Float32Array, grads: Float32Array): void {
    requireUpdateSizes('adam', this.paramCount, params, grads);
    const { beta1, beta2, eps, m, v } = this;
    this.iter += 1;
    const t = this.iter;
    const lrT = (this.lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    const keep1 = 1 - beta1;
    const keep2 = 1 - beta2;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      m[i] += keep1 * (g - m[i]);
      v[i] += keep2 * (g * g - v[i]);
      params[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + eps);
    }
  }

  state(): OptimizerState {
    return { scalars: { iter: this.iter }, buffers: { m: this.m.slice(), v: this.v.slice() } };
  }

  loadState(state: OptimizerState): void {
    const iter = readCounter('adam', state, 'iter');
    loadBuffers('adam', state, { m: this.m, v: this.v }, ['iter']);
    this.iter = iter;
  }
}
