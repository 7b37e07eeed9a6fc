/**
 * Stable error codes carried by `refused` and `error` messages and by thrown errors. Each names one thing
 * that went wrong; the accompanying message says what to do about it.
 */
export const ErrorCode = {
  badToken: 'DESCENT_ERR_BAD_TOKEN',
  missingToken: 'DESCENT_ERR_MISSING_TOKEN',
  protocolVersion: 'DESCENT_ERR_PROTOCOL_VERSION',
  backendMismatch: 'DESCENT_ERR_BACKEND_MISMATCH',
  fingerprintMismatch: 'DESCENT_ERR_FINGERPRINT_MISMATCH',
  noDataset: 'DESCENT_ERR_NO_DATASET',
  runFull: 'DESCENT_ERR_RUN_FULL',
  runOver: 'DESCENT_ERR_RUN_OVER',
  badFrame: 'DESCENT_ERR_BAD_FRAME',
  badMessage: 'DESCENT_ERR_BAD_MESSAGE',
  frameTooLarge: 'DESCENT_ERR_FRAME_TOO_LARGE',
  unexpectedMessage: 'DESCENT_ERR_UNEXPECTED_MESSAGE',
  badResult: 'DESCENT_ERR_BAD_RESULT',
  staleResult: 'DESCENT_ERR_STALE_RESULT',
  notAssigned: 'DESCENT_ERR_NOT_ASSIGNED',
  duplicateResult: 'DESCENT_ERR_DUPLICATE_RESULT',
  rateLimited: 'DESCENT_ERR_RATE_LIMITED',
  versionMismatch: 'DESCENT_ERR_VERSION_MISMATCH',
  badDataset: 'DESCENT_ERR_BAD_DATASET',
  timeout: 'DESCENT_ERR_TIMEOUT',
  internal: 'DESCENT_ERR_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The subset of codes a `refused` answer to `hello` may carry. */
export const RefusalCodes = [
  ErrorCode.badToken,
  ErrorCode.missingToken,
  ErrorCode.protocolVersion,
  ErrorCode.backendMismatch,
  ErrorCode.fingerprintMismatch,
  ErrorCode.noDataset,
  ErrorCode.runFull,
  ErrorCode.runOver,
  ErrorCode.badMessage,
] as const;

export type RefusalCode = (typeof RefusalCodes)[number];
