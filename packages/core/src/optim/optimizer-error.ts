export type OptimizerErrorCode =
  | 'ERR_OPTIMIZER_UNKNOWN'
  | 'ERR_OPTIMIZER_HYPERPARAMETER'
  | 'ERR_OPTIMIZER_SIZE'
  | 'ERR_OPTIMIZER_STATE';

/** A bad optimizer name, hyper-parameter, buffer size or saved state; the message says what to change. */
export class OptimizerError extends Error {
  readonly code: OptimizerErrorCode;

  constructor(code: OptimizerErrorCode, message: string) {
    super(message);
    this.name = 'OptimizerError';
    this.code = code;
  }
}
