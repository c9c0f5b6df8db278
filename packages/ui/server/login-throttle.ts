import { isIPv6 } from 'node:net';

export type LoginVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface ClientRecord {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

/** A client's failures are forgotten a day after its last one, so a few typos a week never add up to a lock. */
const forgetAfterMs = 24 * 3600 * 1000;
/** Locks double up to 64 times the first (64 minutes with the default minute). */
const maximumDoublings = 6;
/** Clients remembered at once; beyond it the longest-quiet is forgotten first. */
const maximumClients = 10_000;

/**
 * Slows password guessing at the UI's login. Per client (IP address; an IPv6 /64, which one machine
 * usually holds whole): after `failuresBeforeLock` wrong passwords the client is locked out for
 * `lockSeconds`, and each further failure doubles the next lock; attempts during a lock are refused
 * without looking at the password, so they cannot tell a right one. Across all clients, at most
 * `failuresPerMinute` wrong passwords a minute are checked (a token bucket), so many addresses together
 * get no further. A right password clears the client's record.
 *
 * Behind a reverse proxy every client has the proxy's address and they share one record: the proxy
 * should limit logins itself (X-Forwarded-For is not trusted here, as anyone can write it).
 */
export class LoginThrottle {
  private readonly clients = new Map<string, ClientRecord>();
  private globalTokens: number;
  private globalUpdated = 0;

  constructor(
    private readonly options: { lockSeconds: number; failuresBeforeLock: number; failuresPerMinute: number },
  ) {
    this.globalTokens = options.failuresPerMinute;
  }

  /** Whether a password from this client may be checked now; when not, how long until it may. */
  check(client: string, now = Date.now()): LoginVerdict {
    const record = this.clients.get(clientKey(client));
    if (record && record.lockedUntil > now) {
      return { allowed: false, retryAfterSeconds: Math.ceil((record.lockedUntil - now) / 1000) };
    }
    this.refill(now);
    if (this.globalTokens < 1) {
      const refillPerMs = this.options.failuresPerMinute / 60_000;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - this.globalTokens) / refillPerMs / 1000)),
      };
    }
    return { allowed: true };
  }

  recordFailure(client: string, now = Date.now()): void {
    this.refill(now);
    this.globalTokens = Math.max(0, this.globalTokens - 1);
    const key = clientKey(client);
    const known = this.clients.get(key);
    const record =
      known && now - known.lastFailure < forgetAfterMs
        ? known
        : { failures: 0, lastFailure: now, lockedUntil: 0 };
    record.failures += 1;
    record.lastFailure = now;
    const beyond = record.failures - this.options.failuresBeforeLock;
    if (beyond >= 0) {
      record.lockedUntil = now + this.options.lockSeconds * 1000 * 2 ** Math.min(beyond, maximumDoublings);
    }
    // Re-inserted, so the Map's order is from longest-quiet to latest.
    this.clients.delete(key);
    this.clients.set(key, record);
    if (this.clients.size > maximumClients) this.forgetOldest(now);
  }

  recordSuccess(client: string): void {
    this.clients.delete(clientKey(client));
  }

  private refill(now: number): void {
    const refillPerMs = this.options.failuresPerMinute / 60_000;
    this.globalTokens = Math.min(
      this.options.failuresPerMinute,
      this.globalTokens + Math.max(0, now - this.globalUpdated) * refillPerMs,
    );
    this.globalUpdated = now;
  }

  private forgetOldest(now: number): void {
    for (const [key, record] of this.clients) {
      if (this.clients.size <= maximumClients) return;
      if (record.lockedUntil <= now || now - record.lastFailure >= forgetAfterMs) this.clients.delete(key);
    }
    // Everyone still locked: the longest-quiet goes, rather than memory growing without end.
    while (this.clients.size > maximumClients) {
      const oldest = this.clients.keys().next().value;
      if (oldest === undefined) return;
      this.clients.delete(oldest);
    }
  }
}

/** An IPv4 address as it is (also when written IPv4-mapped); an IPv6 address by its /64. */
function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups.slice(0, 4).join(':')}::/64`;
}
