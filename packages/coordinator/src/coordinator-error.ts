/** Stable codes for what can stop a coordinator; each message says what to change. */
export const CoordinatorErrorCode = {
  tokenRequired: 'DESCENT_ERR_TOKEN_REQUIRED',
  badOption: 'DESCENT_ERR_BAD_OPTION',
  resumeMismatch: 'DESCENT_ERR_RESUME_MISMATCH',
  diverged: 'DESCENT_ERR_DIVERGED',
  closed: 'DESCENT_ERR_CLOSED',
  alreadyRunning: 'DESCENT_ERR_ALREADY_RUNNING',
  noWorkers: 'DESCENT_ERR_NO_WORKERS',
  listen: 'DESCENT_ERR_LISTEN',
} as const;

export type CoordinatorErrorCode = (typeof CoordinatorErrorCode)[keyof typeof CoordinatorErrorCode];

export class CoordinatorError extends Error {
  override readonly name = 'CoordinatorError';
  readonly code: CoordinatorErrorCode;

  constructor(code: CoordinatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
