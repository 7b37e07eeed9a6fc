/** A mistake in how descent was invoked: printed as `descent: <message>` with exit code 2, no stack trace. */
export class UsageError extends Error {
  readonly code = 'DESCENT_ERR_USAGE';
  override readonly name = 'UsageError';
}

/** A run that could not finish for a reason outside the command line: printed as `descent: <message>`, exit 1. */
export class RunError extends Error {
  override readonly name = 'RunError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
