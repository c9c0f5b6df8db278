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
    let presented = presentedToken(request);
    if (presented === undefined && options.allowQueryToken) {
      presented = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
    }
    return check(presented);
  };
}

/** The token of a request's `Authorization: Bearer` header, however the scheme is cased or spaced. */
export function presentedToken(request: Pick<IncomingMessage, 'headers'>): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * The key a rate limit counts an authorized request under: who it is (the token it presented, hashed),
 * not how its header was written, so `BEARER T` and `bearer  T` share one budget.
 */
export function rateLimitKey(request: Pick<IncomingMessage, 'headers'>): string {
  const token = presentedToken(request);
  return token === undefined ? 'anonymous' : digest(token).toString('hex');
}
