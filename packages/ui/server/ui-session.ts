import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';

const cookieName = 'bytebot_session';
const lifetimeSeconds = 7 * 24 * 3600;
/** Live sessions kept at once; a login beyond it ends the one closest to expiry. Logins are rate-limited. */
const maximumSessions = 1000;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Sessions as random ids (256 bits, one per login) held here, so logging out ends one for good. What is
 * kept, in memory and in `file` (mode 0600, rewritten at each login and logout so that a restart of the UI
 * server keeps people logged in), is an HMAC of each id under a key derived from the password, never the
 * id itself: the file cannot be replayed as a cookie, and a new password matches none of the old entries,
 * ending every session. The cookie is HttpOnly and SameSite=Strict; SameSite does not separate the ports
 * of one host, which is why the server checks Origin as well (request-guard.ts).
 */
export class UiSessions {
  private readonly key: Buffer;
  private readonly expectedPassword: Buffer;
  /** HMAC of the id (hex) -> expiry, in seconds since the epoch. */
  private readonly sessions = new Map<string, number>();

  constructor(
    password: string,
    private readonly options: { file?: string; warn?: (message: string) => void } = {},
  ) {
    this.key = digest(`bytebot-ui-session:${password}`);
    this.expectedPassword = digest(password);
    this.load();
  }

  passwordMatches(presented: string): boolean {
    return timingSafeEqual(digest(presented), this.expectedPassword);
  }

  /** Starts a session; answers the Set-Cookie header that carries it. */
  issue(secure: boolean): string {
    const id = randomBytes(32).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    this.prune(now);
    while (this.sessions.size >= maximumSessions) {
      const [soonest] = [...this.sessions].sort(([, left], [, right]) => left - right)[0] ?? [];
      if (soonest === undefined) break;
      this.sessions.delete(soonest);
    }
    this.sessions.set(this.fingerprint(id), now + lifetimeSeconds);
    this.save();
    return `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${lifetimeSeconds}${secure ? '; Secure' : ''}`;
  }

  /** Ends the sessions the request presents (logout). */
  revoke(request: IncomingMessage): void {
    let changed = false;
    for (const id of presentedIds(request)) changed = this.sessions.delete(this.fingerprint(id)) || changed;
    if (changed) this.save();
  }

  clear(): string {
    return `${cookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }

  isValid(request: IncomingMessage): boolean {
    const now = Date.now() / 1000;
    // Any of them: a page on another port of this host can set a cookie of the same name beside ours.
    return presentedIds(request).some((id) => (this.sessions.get(this.fingerprint(id)) ?? 0) > now);
  }

  private fingerprint(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('hex');
  }

  private prune(now: number): void {
    for (const [fingerprint, expiry] of this.sessions) if (expiry <= now) this.sessions.delete(fingerprint);
  }

  private load(): void {
    if (!this.options.file) return;
    let text: string;
    try {
      text = readFileSync(this.options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.warn(`sessions not read: ${(error as Error).message}`);
      return;
    }
    try {
      const stored = JSON.parse(text) as { sessions?: Array<{ fingerprint?: unknown; expires?: unknown }> };
      for (const entry of stored.sessions ?? []) {
        if (
          typeof entry.fingerprint === 'string' &&
          /^[0-9a-f]{64}$/.test(entry.fingerprint) &&
          typeof entry.expires === 'number'
        )
          this.sessions.set(entry.fingerprint, entry.expires);
      }
    } catch {
      // A damaged file costs a login, nothing more.
      this.warn(`${this.options.file} is not valid JSON: starting without stored sessions`);
    }
    this.prune(Math.floor(Date.now() / 1000));
  }

  private save(): void {
    const file = this.options.file;
    if (!file) return;
    const entries = [...this.sessions].map(([fingerprint, expires]) => ({ fingerprint, expires }));
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, `${JSON.stringify({ version: 1, sessions: entries })}\n`, { mode: 0o600 });
      chmodSync(temporary, 0o600);
      // A rename replaces the file whole: a crash mid-write never leaves half a list.
      renameSync(temporary, file);
    } catch (error) {
      this.warn(`sessions not saved (they still hold until a restart): ${(error as Error).message}`);
    }
  }

  private warn(message: string): void {
    this.options.warn?.(message);
  }
}

function presentedIds(request: IncomingMessage): string[] {
  const ids: string[] = [];
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== cookieName) continue;
    const value = part.slice(separator + 1).trim();
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) ids.push(value);
  }
  return ids;
}
