/** Stable codes for everything that can be wrong with a data set on disk or on the wire. */
export const DataErrorCode = {
  notFound: 'DATA_NOT_FOUND',
  unreadable: 'DATA_UNREADABLE',
  badGzip: 'DATA_BAD_GZIP',
  badMagic: 'DATA_BAD_MAGIC',
  badElementType: 'DATA_BAD_ELEMENT_TYPE',
  truncated: 'DATA_TRUNCATED',
  trailingBytes: 'DATA_TRAILING_BYTES',
  badShape: 'DATA_BAD_SHAPE',
  countMismatch: 'DATA_COUNT_MISMATCH',
  labelOutOfRange: 'DATA_LABEL_OUT_OF_RANGE',
  checksumMismatch: 'DATA_CHECKSUM_MISMATCH',
  fingerprintMismatch: 'DATA_FINGERPRINT_MISMATCH',
  badPack: 'DATA_BAD_PACK',
  badRange: 'DATA_BAD_RANGE',
} as const;

export type DataErrorCode = (typeof DataErrorCode)[keyof typeof DataErrorCode];

export class DataError extends Error {
  override readonly name = 'DataError';
  readonly code: DataErrorCode;
  /** The file (or stream) at fault, when there is one. */
  readonly file: string | undefined;

  constructor(code: DataErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
  }
}
