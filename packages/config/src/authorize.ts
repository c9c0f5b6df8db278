import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type Authorize = (request: IncomingMessage, options?: { allowQueryToken?: boolean }) => boolean;
export type TokenCheck = (presented: string | undefined) => boolean;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Compares a presented token in constant time (hashing first makes the lengths equal, so the comparison
 * leaks neither content nor length). With no token configured (authentication off) everything passes.
 */
export function createTokenCheck(token: string | undefined): TokenCheck {
  if (token === undefined) return () => true;
  const expected = digest(token);
  return (presented) =>
    presented !== undefined && presented !== '' && timingSafeEqual(digest(presented), expected);
}

/**
 * Checks a request's bearer token. Browsers cannot set headers on a websocket, so upgrade requests may
 * carry the token as a `token` query parameter instead.
 */
export function createAuthorize(token: string | undefined): Authorize {
  const check = createTokenCheck(token);
  return (request, options = {}) => {
    const header = request.headers.authorization;
    let presented: string | undefined;
    if (header?.toLowerCase().startsWith('bearer ')) presented = header.slice(7).trim();
    if (presented === undefined && options.allowQueryToken) {
      presented = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
    }
    return check(presented);
  };
}
