import { endianness } from 'node:os';
import { bytesOf } from './hash.js';
import { IoError, IoErrorCode } from './io-error.js';

/**
 * The safetensors format (huggingface/safetensors), float32 only:
 *   u64 little-endian N · N bytes of JSON header, space-padded so the data starts 8-byte aligned ·
 *   the tensors' bytes, contiguous, in header order.
 * The header maps each name to {dtype: "F32", shape, data_offsets: [begin, end]} (relative to the data
 * start), plus an optional "__metadata__" map of strings.
 */
export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface SafetensorsContent {
  readonly tensors: NamedTensor[];
  readonly metadata: Record<string, string>;
}

const METADATA_KEY = '__metadata__';
/** The reference implementation's limit; a larger header is a damaged length field. */
const MAX_HEADER_BYTES = 100_000_000;

export function writeSafetensors(
  tensors: readonly NamedTensor[],
  metadata?: Record<string, string>,
): Uint8Array {
  requireLittleEndian();
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === METADATA_KEY || t.name in header) {
      throw new IoError(
        IoErrorCode.badTensor,
        `Tensor name "${t.name}" is reserved or used twice; give every tensor its own name.`,
      );
    }
    if (product(t.shape) !== t.data.length) {
      throw new IoError(
        IoErrorCode.badTensor,
        `Tensor ${t.name}: shape [${t.shape}] needs ${product(t.shape)} values, data has ${t.data.length}.`,
      );
    }
    header[t.name] = {
      dtype: 'F32',
      shape: [...t.shape],
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerBytes + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.fill(0x20, 8, 8 + headerBytes);
  out.set(json, 8);
  let at = 8 + headerBytes;
  for (const t of tensors) {
    out.set(bytesOf(t.data), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Parses and fully validates a safetensors byte string; tensor data is copied into fresh, aligned arrays. */
export function readSafetensors(bytes: Uint8Array): SafetensorsContent {
  requireLittleEndian();
  if (bytes.length < 8) throw invalid(`${bytes.length} bytes, too short for the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    throw invalid(
      `header length ${headerLength} exceeds the ${bytes.length - 8} bytes that follow it (truncated?)`,
    );
  }
  const dataStart = 8 + Number(headerLength);
  const header = parseHeader(bytes.subarray(8, dataStart));
  const dataLength = bytes.length - dataStart;
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, entry]) => checkEntry(name, entry));
  entries.sort((a, b) => a.begin - b.begin);
  let expected = 0;
  const tensors: NamedTensor[] = [];
  for (const e of entries) {
    if (e.begin !== expected)
      throw invalid(`tensor ${e.name} starts at byte ${e.begin}, expected ${expected} (gap or overlap)`);
    if (e.end > dataLength)
      throw invalid(`tensor ${e.name} ends at byte ${e.end}, past the ${dataLength} data bytes (truncated?)`);
    const data = new Float32Array((e.end - e.begin) / 4);
    bytesOf(data).set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    tensors.push({ name: e.name, shape: e.shape, data });
    expected = e.end;
  }
  if (expected !== dataLength) throw invalid(`${dataLength - expected} data bytes belong to no tensor`);
  return { tensors, metadata: checkMetadata(header[METADATA_KEY]) };
}

function parseHeader(json: Uint8Array): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (cause) {
    throw invalid(`the header is not valid UTF-8 JSON (${String(cause)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw invalid('the header is not a JSON object');
  return header as Record<string, unknown>;
}

interface Entry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

function checkEntry(name: string, entry: unknown): Entry {
  if (typeof entry !== 'object' || entry === null)
    throw invalid(`tensor ${name} has no {dtype, shape, data_offsets} entry`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (dtype !== 'F32') {
    throw new IoError(
      IoErrorCode.unsupportedDtype,
      `safetensors: tensor ${name} has dtype ${String(dtype)}; descent reads only F32.`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount))
    throw invalid(`tensor ${name} has shape ${JSON.stringify(shape)}, not a list of sizes`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw invalid(
      `tensor ${name} has data_offsets ${JSON.stringify(offsets)}, not [begin, end] with begin ≤ end`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end - begin !== product(shape) * 4) {
    throw invalid(
      `tensor ${name}: shape [${shape}] needs ${product(shape) * 4} bytes, data_offsets span ${end - begin}`,
    );
  }
  return { name, shape, begin, end };
}

function checkMetadata(metadata: unknown): Record<string, string> {
  if (metadata === undefined) return {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw invalid('__metadata__ is not an object');
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw invalid(`__metadata__.${key} is not a string`);
  }
  return { ...(metadata as Record<string, string>) };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function invalid(detail: string): IoError {
  return new IoError(IoErrorCode.badSafetensors, `Not a valid safetensors file: ${detail}.`);
}

function requireLittleEndian(): void {
  // Float32Array bytes are in platform order; the format is little-endian.
  if (endianness() !== 'LE')
    throw new IoError(IoErrorCode.badSafetensors, 'safetensors I/O needs a little-endian machine.');
}
