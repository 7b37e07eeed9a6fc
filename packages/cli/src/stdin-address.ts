import type { Readable } from 'node:stream';
import { UsageError } from './errors.js';

/** An address is one short line; more than this before a newline is not one. */
const MAX_ADDRESS_CHARS = 4096;

/**
 * The coordinator's address from the first line of `input`, for `descent worker --connect -`: a launcher
 * starts the worker before its coordinator listens, and writes the address once it does.
 */
export async function readAddress(input: Readable): Promise<string> {
  input.setEncoding('utf8');
  let text = '';
  for await (const chunk of input) {
    text += chunk as string;
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end).trim();
    if (text.length > MAX_ADDRESS_CHARS)
      throw new UsageError(
        `--connect -: stdin's first line runs past ${MAX_ADDRESS_CHARS} characters; give one address`,
      );
  }
  if (text.trim() === '')
    throw new UsageError(
      '--connect -: stdin ended before a coordinator address came; write ws://HOST:PORT on it',
    );
  return text.trim();
}
