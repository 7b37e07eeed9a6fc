import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError, DataErrorCode } from './data-error.js';

/**
 * The IDX format of MNIST: a 4-byte magic (0, 0, element type, number of dims), one big-endian uint32 per
 * dim, then the elements row-major. Only unsigned bytes (type 0x08) are used by image data sets.
 */
export type IdxKind = 'images' | 'labels';

export interface IdxArray {
  readonly kind: IdxKind;
  /** images: [count, rows, cols]; labels: [count]. */
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

export const IDX_MAGIC: Readonly<Record<IdxKind, number>> = { images: 0x00000803, labels: 0x00000801 };
const UBYTE = 0x08;
const DIMS_OF: Readonly<Record<IdxKind, number>> = { images: 3, labels: 1 };
const TYPE_NAMES: Readonly<Record<number, string>> = {
  9: 'int8',
  11: 'int16',
  12: 'int32',
  13: 'float32',
  14: 'float64',
};

/** Reads an IDX file, raw or gzip-compressed (recognised by its content, not its name). */
export function readIdx(path: string, expected?: IdxKind): IdxArray {
  return decodeIdx(decompressIfGzip(readBytes(path), path), path, expected);
}

export function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DataError(
      missing ? DataErrorCode.notFound : DataErrorCode.unreadable,
      `${path}: ${missing ? 'no such file' : `cannot be read (${String(cause)})`}. Check the path and its permissions.`,
      { file: path, cause },
    );
  }
}

export function decompressIfGzip(bytes: Uint8Array, file: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    throw new DataError(
      DataErrorCode.badGzip,
      `${file}: looks gzip-compressed but does not decompress (${String(cause)}). Download it again.`,
      { file, cause },
    );
  }
}

/** Decodes one whole IDX file; its elements stay a view into `bytes` (no copy). */
export function decodeIdx(bytes: Uint8Array, file: string, expected?: IdxKind): IdxArray {
  const { array, end } = decodeIdxAt(bytes, 0, file, expected);
  if (end !== bytes.length) {
    throw new DataError(
      DataErrorCode.trailingBytes,
      `${file}: ${bytes.length - end} bytes after the end of the data (expected ${end} bytes in all, found ${bytes.length}). The file is damaged or not IDX; download it again.`,
      { file },
    );
  }
  return array;
}

/** Decodes the IDX array that starts at `offset`, for streams holding several back to back. */
export function decodeIdxAt(
  bytes: Uint8Array,
  offset: number,
  file: string,
  expected?: IdxKind,
): { array: IdxArray; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.length - offset);
  if (view.byteLength < 4) throw truncated(file, offset + 4, bytes.length);
  const magic = view.getUint32(0);
  const kind = kindOf(magic, file, expected);
  const dimsEnd = 4 + 4 * DIMS_OF[kind];
  if (view.byteLength < dimsEnd) throw truncated(file, offset + dimsEnd, bytes.length);
  const dims: number[] = [];
  for (let i = 4; i < dimsEnd; i += 4) dims.push(view.getUint32(i));
  const length = dims.reduce((a, b) => a * b, 1);
  const start = offset + dimsEnd;
  const end = start + length;
  if (end > bytes.length) throw truncated(file, end, bytes.length);
  if (kind === 'images' && (dims[1] === 0 || dims[2] === 0)) {
    throw new DataError(
      DataErrorCode.badShape,
      `${file}: images of ${dims[1]}×${dims[2]} pixels; rows and columns must be at least 1.`,
      {
        file,
      },
    );
  }
  return { array: { kind, dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + start, length) }, end };
}

function kindOf(magic: number, file: string, expected: IdxKind | undefined): IdxKind {
  const hex = `0x${magic.toString(16).padStart(8, '0')}`;
  const wanted = expected
    ? `0x${IDX_MAGIC[expected].toString(16).padStart(8, '0')} (${expected})`
    : '0x00000803 (images) or 0x00000801 (labels)';
  if (magic >>> 16 !== 0) {
    throw new DataError(
      DataErrorCode.badMagic,
      `${file}: not an IDX file (magic ${hex}, expected ${wanted}).`,
      { file },
    );
  }
  const type = (magic >>> 8) & 0xff;
  if (type !== UBYTE) {
    throw new DataError(
      DataErrorCode.badElementType,
      `${file}: elements are ${TYPE_NAMES[type] ?? `type 0x${type.toString(16)}`}, but image data sets must hold unsigned bytes (type 0x08).`,
      { file },
    );
  }
  const kind: IdxKind | undefined =
    magic === IDX_MAGIC.images ? 'images' : magic === IDX_MAGIC.labels ? 'labels' : undefined;
  if (kind === undefined || (expected !== undefined && kind !== expected)) {
    const found = kind ? `${hex} (${kind})` : `${hex} (${magic & 0xff} dims)`;
    throw new DataError(
      DataErrorCode.badMagic,
      `${file}: magic ${found}, expected ${wanted}. Check that the file is the one its name says.`,
      { file },
    );
  }
  return kind;
}

function truncated(file: string, expected: number, actual: number): DataError {
  return new DataError(
    DataErrorCode.truncated,
    `${file}: truncated: expected ${expected} bytes, found ${actual}. Download it again.`,
    { file },
  );
}

/** The IDX header (magic and big-endian dims) for an array of this kind and shape. */
export function idxHeader(kind: IdxKind, dims: readonly number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, IDX_MAGIC[kind]);
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d);
  return header;
}

/** A whole IDX file (header and elements), uncompressed. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const header = idxHeader(array.kind, array.dims);
  const out = new Uint8Array(header.length + array.data.length);
  out.set(header);
  out.set(array.data, header.length);
  return out;
}
