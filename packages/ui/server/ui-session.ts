import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const cookieName = 'bytebot_session';
const lifetimeSeconds = 7 * 24 * 3600;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Sessions as signed cookies (expiry and an HMAC over it), so they survive a restart of the UI server and
 * end when the password changes. The cookie is HttpOnly and SameSite=Strict: scripts cannot read it and
 * other sites cannot send it.
 */
export class UiSessions {
  private readonly key: Buffer;
  private readonly expectedPassword: Buffer;

  constructor(password: string) {
    this.key = digest(`bytebot-ui-session:${password}`);
    this.expectedPassword = digest(password);
  }

  passwordMatches(presented: string): boolean {
    return timingSafeEqual(digest(presented), this.expectedPassword);
  }

  private sign(expiry: number): string {
    return createHmac('sha256', this.key).update(String(expiry)).digest('base64url');
  }

  /** The Set-Cookie header of a new session. */
  issue(secure: boolean): string {
    const expiry = Math.floor(Date.now() / 1000) + lifetimeSeconds;
    const value = `${expiry}.${this.sign(expiry)}`;
    return `${cookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${lifetimeSeconds}${secure ? '; Secure' : ''}`;
  }

  clear(): string {
    return `${cookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }

  isValid(request: IncomingMessage): boolean {
    const cookies = request.headers.cookie ?? '';
    for (const part of cookies.split(';')) {
      const [name, value] = part.trim().split('=', 2);
      if (name !== cookieName || !value) continue;
      const [expiryText, signature] = value.split('.', 2);
      const expiry = Number(expiryText);
      if (!Number.isInteger(expiry) || expiry < Date.now() / 1000 || !signature) return false;
      const expected = Buffer.from(this.sign(expiry));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    }
    return false;
  }
}
