import type { Backend } from '../tensor/backend.js';
import { requireParamCount, requirePositive, requireUpdateSizes } from './hyperparameters.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { loadBuffers } from './saved-state.js';

export interface SgdOptions {
  /** Default 0.01, as the book. */
  readonly lr?: number;
  /**
   * Updates as backend.axpy(−η): the js backend gives the same bits as the loop below, the wasm one rounds
   * η·g to float32 first (its own deterministic result) and runs several times faster.
   */
  readonly backend?: Backend;
}

/** Plain stochastic gradient descent: W ← W − η·∂L/∂W. */
export class Sgd implements Optimizer {
  readonly name = 'sgd';
  readonly lr: number;
  readonly paramCount: number;
  /** The backend it updates through, if any. */
  readonly backend: Backend | undefined;

  constructor(paramCount: number, options: SgdOptions = {}) {
    this.paramCount = requireParamCount('sgd', paramCount);
    this.lr = requirePositive('sgd', 'lr', options.lr ?? 0.01);
    this.backend = options.backend;
  }

  update(params: Float32Array, grads: Float32Array): void {
    requireUpdateSizes('sgd', this.paramCount, params, grads);
    const lr = this.lr;
    if (this.backend) this.backend.axpy(params.length, -lr, grads, params);
    else for (let i = 0; i < params.length; i++) params[i] -= lr * grads[i];
  }

  updateMean(params: Float32Array, gradSum: Float32Array, batchSize: number, grads: Float32Array): void {
    requireUpdateSizes('sgd', this.paramCount, params, grads);
    requireUpdateSizes('sgd', this.paramCount, params, gradSum);
    if (this.backend) {
      this.backend.divideAxpy(params.length, gradSum, batchSize, -this.lr, grads, params);
      return;
    }
    for (let i = 0; i < grads.length; i++) grads[i] = gradSum[i] / batchSize;
    this.update(params, grads);
  }

  state(): OptimizerState {
    return { scalars: {}, buffers: {} };
  }

  loadState(state: OptimizerState): void {
    loadBuffers('sgd', state, {}, []);
  }
}
