import { Packr, Unpackr } from 'msgpackr';
import { z } from 'zod';
import { ErrorCode } from './codes.js';
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

/** One message to one binary frame. The message must already satisfy its type; it is not re-validated. */
export function encode(message: Message): Uint8Array {
  return packr.pack(message);
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
