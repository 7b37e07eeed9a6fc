import { UsageError } from './errors.js';
import { readFlagFile } from './flag-file.js';

/** The shared secret: `--token-file F` (first line) or the DESCENT_TOKEN environment variable, never a flag value. */
export function readToken(tokenFile: string | undefined): string | undefined {
  if (tokenFile !== undefined) {
    const text = readFlagFile('token-file', tokenFile).toString('utf8');
    const token = text.split(/\r?\n/)[0].trim();
    if (token.length === 0)
      throw new UsageError(`--token-file ${tokenFile} is empty; put the shared secret on its first line`);
    return token;
  }
  const env = process.env.DESCENT_TOKEN?.trim();
  return env ? env : undefined;
}
