/** Named scalar and buffer state: enough to save an optimizer and restore it exactly. */
export interface OptimizerState {
  readonly scalars: Readonly<Record<string, number>>;
  readonly buffers: Readonly<Record<string, Float32Array>>;
}

export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam';

/** One update rule (the book's `update(params, grads)`), over the whole contiguous parameter buffer. */
export interface Optimizer {
  readonly name: OptimizerName;
  update(params: Float32Array, grads: Float32Array): void;
  /**
   * grads = gradSum / batchSize, then `update(params, grads)`, in one pass over memory where the rule allows:
   * the same bits as the two done apart (which is what rules without it get).
   */
  updateMean?(params: Float32Array, gradSum: Float32Array, batchSize: number, grads: Float32Array): void;
  state(): OptimizerState;
  loadState(state: OptimizerState): void;
}
