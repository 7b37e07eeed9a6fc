import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenMatches } from '@descent/coordinator';

export const COOKIE = 'descent_dashboard';

/** The cookie value proving the token was given once: its hash, so the secret itself is never stored. */
export function cookieValue(token: string): string {
  return createHash('sha256').update(`descent-dashboard:${token}`, 'utf8').digest('hex');
}

export type Access = 'ok' | 'query' | 'denied';

/**
 * Whether a request may see the dashboard: always without a token; with one, by `?token=` (the link a user
 * opens; answered with a cookie), the cookie, or `Authorization: Bearer`.
 */
export function checkAccess(req: IncomingMessage, url: URL, token: string | undefined): Access {
  if (token === undefined) return 'ok';
  const query = url.searchParams.get('token');
  if (query !== null) return tokenMatches(token, query) ? 'query' : 'denied';
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return tokenMatches(token, bearer) ? 'ok' : 'denied';
  const cookie = readCookie(req.headers.cookie ?? '', COOKIE);
  return cookie !== undefined && tokenMatches(cookieValue(token), cookie) ? 'ok' : 'denied';
}

function readCookie(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}

/**
 * A page bound to loopback answers only requests addressed to a loopback name, so another web site cannot
 * reach it through DNS rebinding.
 */
export function hostAllowed(req: IncomingMessage, boundHost: string): boolean {
  if (!isLoopback(boundHost)) return true;
  const host = req.headers.host ?? '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return isLoopback(name);
}
