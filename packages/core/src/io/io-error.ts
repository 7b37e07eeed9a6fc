/** Stable codes for files descent writes and reads back: safetensors and checkpoints. */
export const IoErrorCode = {
  badSafetensors: 'SAFETENSORS_INVALID',
  unsupportedDtype: 'SAFETENSORS_UNSUPPORTED_DTYPE',
  badTensor: 'SAFETENSORS_BAD_TENSOR',
  checkpointMissing: 'CHECKPOINT_MISSING',
  checkpointCorrupt: 'CHECKPOINT_CORRUPT',
  checkpointInvalid: 'CHECKPOINT_INVALID',
} as const;

export type IoErrorCode = (typeof IoErrorCode)[keyof typeof IoErrorCode];

export class IoError extends Error {
  override readonly name = 'IoError';
  readonly code: IoErrorCode;
  /** The file at fault, when known. */
  readonly file: string | undefined;

  constructor(code: IoErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
  }
}
