import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

/** The contents of the file a flag names, or a UsageError naming the flag, the file and why. */
export function readFlagFile(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read --${flag} ${file}: ${(err as Error).message}`);
  }
}
