import { Packr, Unpackr } from 'msgpackr';
import { z } from 'zod';
import { ErrorCode } from './codes.js';
import { parseHot } from './hot-parse.js';
import { type Message, type MessageKind, messageSchema } from './messages.js';
import { ProtocolError } from './protocol-error.js';
import { DEFAULT_MAX_FRAME_BYTES } from './version.js';

/**
 * Plain maps, no records or extension types: a Float32Array is written as a `bin` of its bytes. Packr keeps
 * one growing buffer and hands out slices of it, so encoding allocates only when that buffer is used up; a
 * returned frame stays valid after later calls (it is never overwritten).
 */
const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

/** Typed arrays at least this large are written last in their frame, 4-byte aligned. */
const PLACED_BYTES = 4096;
const FIXMAP = 0x80;
const BIN32 = 0xc6;

/**
 * One message to one binary frame. The message must already satisfy its type; it is not re-validated.
 * With `allocate`, a frame holding a large typed array is written into the buffer it returns (at least the
 * size asked for), so a sender can reuse its buffers (see FramePool).
 */
export function encode(message: Message, allocate?: (bytes: number) => Uint8Array): Uint8Array {
  const placed = largestArray(message);
  if (placed === null) return packr.pack(message);
  const [key, array] = placed;
  const rest: Record<string, unknown> = { ...message };
  delete rest[key];
  const head = packr.pack(rest);
  const entries = head[0] - FIXMAP;
  // Two more entries (a pad and the array) must still fit a fixmap; message kinds have a dozen fields at most.
  if (entries < 0 || entries + 2 > 15) return packr.pack(message);
  // The array goes last, as a bin32, preceded by a pad string that puts its bytes at a multiple of 4 from the
  // frame's start: a receiver whose frame buffer is aligned reads it in place, without a copy.
  const tail = 4 + 1 + 1 + key.length + 5;
  const pad = (4 - ((head.length + tail) % 4)) % 4;
  const offset = head.length + tail + pad;
  const total = offset + array.byteLength;
  const frame = allocate ? allocate(total).subarray(0, total) : Buffer.allocUnsafe(total);
  frame.set(head, 0);
  frame[0] = FIXMAP + entries + 2;
  let at = head.length;
  frame.set(PAD_KEY, at);
  at += PAD_KEY.length;
  frame[at++] = 0xa0 + pad;
  frame.fill(0x20, at, at + pad);
  at += pad;
  frame[at++] = 0xa0 + key.length;
  for (let i = 0; i < key.length; i++) frame[at++] = key.charCodeAt(i);
  frame[at++] = BIN32;
  new DataView(frame.buffer, frame.byteOffset + at, 4).setUint32(0, array.byteLength);
  at += 4;
  frame.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
  return frame;
}

/** fixstr 'pad': a field no schema has, so validation drops it. */
const PAD_KEY = Uint8Array.of(0xa3, 0x70, 0x61, 0x64);

function largestArray(message: Message): [string, ArrayBufferView] | null {
  let best: [string, ArrayBufferView] | null = null;
  for (const [key, value] of Object.entries(message)) {
    if (ArrayBuffer.isView(value) && value.byteLength >= PLACED_BYTES && key.length < 32) {
      if (best === null || value.byteLength > best[1].byteLength) best = [key, value];
    }
  }
  return best;
}

export type Decoded<K extends MessageKind> =
  | { readonly ok: true; readonly message: Extract<Message, { kind: K }> }
  | { readonly ok: false; readonly error: ProtocolError };

export interface DecodeOptions<K extends MessageKind> {
  /** The kinds this end accepts; anything else is refused with DESCENT_ERR_UNEXPECTED_MESSAGE. */
  readonly accept: readonly K[];
  /** Largest frame accepted, in bytes. */
  readonly maxFrameBytes?: number;
}

/**
 * One frame off the socket to a validated message, or the reason it is refused. Never throws: random bytes,
 * invalid msgpack, the wrong shape, unknown or unexpected kinds and oversized frames all come back as
 * `{ ok: false }` with a stable code, so nothing malformed reaches the math.
 */
export function decode<K extends MessageKind>(frame: unknown, options: DecodeOptions<K>): Decoded<K> {
  const fail = (code: ErrorCode, message: string, cause?: unknown): Decoded<K> => ({
    ok: false,
    error: new ProtocolError(code, message, cause === undefined ? undefined : { cause }),
  });
  const bytes = toBytes(frame);
  if (bytes === null)
    return fail(ErrorCode.badFrame, 'expected a binary frame of msgpack; text frames are not used');
  const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (bytes.byteLength > max) {
    return fail(
      ErrorCode.frameTooLarge,
      `frame of ${bytes.byteLength} bytes exceeds the limit of ${max} bytes`,
    );
  }
  let value: unknown;
  try {
    value = unpackr.unpack(bytes);
  } catch (cause) {
    return fail(
      ErrorCode.badFrame,
      `frame is not valid msgpack: ${String((cause as Error).message).slice(0, 200)}`,
      cause,
    );
  }
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string') return fail(ErrorCode.badMessage, 'message has no string `kind` field');
  if (!(options.accept as readonly string[]).includes(kind)) {
    return fail(
      ErrorCode.unexpectedMessage,
      `message kind '${kind.slice(0, 64)}' is not accepted here; expected one of ${options.accept.join(', ')}`,
    );
  }
  const hot = parseHot(value as Record<string, unknown>);
  if (hot !== null) return { ok: true, message: hot as Extract<Message, { kind: K }> };
  const parsed = messageSchema.safeParse(value);
  if (!parsed.success) {
    return fail(
      ErrorCode.badMessage,
      `invalid '${kind}' message: ${z.prettifyError(parsed.error)}`,
      parsed.error,
    );
  }
  return { ok: true, message: parsed.data as Extract<Message, { kind: K }> };
}

function toBytes(frame: unknown): Uint8Array | null {
  if (frame instanceof Uint8Array) return frame;
  if (frame instanceof ArrayBuffer) return new Uint8Array(frame);
  if (Array.isArray(frame) && frame.every((part) => part instanceof Uint8Array)) {
    return Buffer.concat(frame as Uint8Array[]);
  }
  return null;
}
