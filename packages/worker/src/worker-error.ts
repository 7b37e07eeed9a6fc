/** Stable codes for why a worker stopped; `refused` answers carry the coordinator's code instead. */
export const WorkerErrorCode = {
  connect: 'DESCENT_ERR_CONNECT',
  badOption: 'DESCENT_ERR_BAD_OPTION',
  badDataset: 'DESCENT_ERR_BAD_DATASET',
  noDataset: 'DESCENT_ERR_NO_DATASET',
} as const;

export class WorkerError extends Error {
  override readonly name = 'WorkerError';

  /** `code` is one of WorkerErrorCode or, for a refusal, the coordinator's refusal code. */
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
