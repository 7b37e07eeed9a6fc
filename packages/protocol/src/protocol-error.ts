import type { ErrorCode } from './codes.js';

/** A frame or message that cannot be accepted; `code` is stable, the message says what was wrong. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
