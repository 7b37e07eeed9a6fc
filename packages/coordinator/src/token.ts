import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` equals `expected`, in time independent of where they differ and of their lengths: both are
 * hashed to 32 bytes first, then compared with crypto.timingSafeEqual.
 */
export function tokenMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}
