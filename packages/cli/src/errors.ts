/** A mistake in how descent was invoked: printed as `descent: <message>` with exit code 2, no stack trace. */
export class UsageError extends Error {
  readonly code = 'DESCENT_ERR_USAGE';
  override readonly name = 'UsageError';
}
