import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Why a request is refused; answered as 403 with `{ error: { code, message } }`. */
export interface Refusal {
  code: 'HOST_NOT_ALLOWED' | 'ORIGIN_NOT_ALLOWED' | 'ORIGIN_REQUIRED' | 'CROSS_ORIGIN_REQUEST';
  message: string;
}

/** Methods that change nothing (HTTP's "safe" methods); every other one is checked as a state change. */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function changesState(request: IncomingMessage): boolean {
  return !safeMethods.has(request.method ?? 'GET');
}

/**
 * The browser-facing checks of the UI's server, on top of the session:
 *
 * - Host: DNS rebinding points a name the attacker controls at 127.0.0.1, so the browser treats our server
 *   as the attacker's origin. Such a request carries the attacker's name in Host, so a Host is ours only
 *   when it is `localhost`, an IP address (no name to rebind; also what a LAN address or a port-forward
 *   gives), or the host of a UI_ORIGIN. The port is not compared: rebinding changes names, not ports.
 * - Origin: SameSite=Strict does not separate ports (127.0.0.1:8000 is the same site as 127.0.0.1:9992),
 *   so a page on another local port sends our cookie along. A request that changes state, and every
 *   websocket upgrade, must therefore come from our own origin: the Origin header is the Host it was sent
 *   to (http or https), or one listed in UI_ORIGIN; "null" (sandboxed frames, privacy redirects) is not.
 * - Sec-Fetch-Site, where the browser sends it, must say same-origin for those requests; and a read of
 *   /api or /novnc from another origin's page (an <img>, a no-cors fetch) is refused too, navigations
 *   aside, so no other page can make the UI's data part of its own.
 */
export class RequestGuard {
  private readonly origins: Set<string>;
  private readonly hostNames: Set<string>;

  constructor(configuredOrigins: string[]) {
    this.origins = new Set(configuredOrigins);
    this.hostNames = new Set(['localhost', ...configuredOrigins.map((origin) => new URL(origin).hostname)]);
  }

  checkHost(request: IncomingMessage): Refusal | undefined {
    const host = request.headers.host ?? '';
    const hostName = parseHost(host)?.hostName;
    if (
      hostName !== undefined &&
      (this.hostNames.has(hostName) || isIP(hostName.replace(/^\[|\]$/g, '')) !== 0)
    ) {
      return undefined;
    }
    return {
      code: 'HOST_NOT_ALLOWED',
      message: `the Host "${host.slice(0, 100)}" is not this UI's: open it at its own address, or add that origin to UI_ORIGIN`,
    };
  }

  /**
   * For a state change or a websocket upgrade. A browser always sends Origin with those (Fetch standard:
   * every request whose method is not GET or HEAD, and every websocket handshake), so a request without
   * one is a program's, not a page's. `withoutOrigin` says what such a request may still do:
   * - 'allow': where no session is at stake (logging in, logging out);
   * - 'json': a state change whose body is application/json. A page of another origin cannot send that
   *   type without a CORS preflight, which this server never grants (forms, beacons and no-cors fetches
   *   are limited to text/plain, urlencoded and multipart), so `curl -H 'content-type: application/json'`
   *   with the cookie works and no page can pass for it;
   * - 'refuse': websocket upgrades, where a content type proves nothing.
   */
  checkStateChange(
    request: IncomingMessage,
    options: { withoutOrigin: 'allow' | 'json' | 'refuse' },
  ): Refusal | undefined {
    const origin = request.headers.origin;
    if (origin !== undefined && !this.isOwnOrigin(origin, request.headers.host ?? '')) {
      return {
        code: 'ORIGIN_NOT_ALLOWED',
        message: `requests from ${origin.slice(0, 100)} may not change anything here: only the UI's own pages may (UI_ORIGIN lists more)`,
      };
    }
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') {
      return {
        code: 'CROSS_ORIGIN_REQUEST',
        message: `the browser marks this request ${site}: only the UI's own pages may change anything here`,
      };
    }
    if (origin !== undefined || options.withoutOrigin === 'allow') return undefined;
    if (
      options.withoutOrigin === 'json' &&
      mediaType(request.headers['content-type']) === 'application/json'
    ) {
      return undefined;
    }
    return {
      code: 'ORIGIN_REQUIRED',
      message:
        options.withoutOrigin === 'json'
          ? 'without an Origin header (browsers send it by themselves), a request that changes state must send application/json'
          : 'a websocket upgrade needs an Origin header naming the UI (browsers send it by themselves)',
    };
  }

  /** For GET /logout: also a plain link click or a typed address (Sec-Fetch-Site: none). */
  checkNavigation(request: IncomingMessage): Refusal | undefined {
    const site = request.headers['sec-fetch-site'];
    if (site === undefined || site === 'same-origin' || site === 'none') return undefined;
    return {
      code: 'CROSS_ORIGIN_REQUEST',
      message: `the browser marks this request ${site}: only the UI's own pages may do this`,
    };
  }

  /** For reads of /api and /novnc: a navigation to them is harmless, another page embedding them is not. */
  checkRead(request: IncomingMessage): Refusal | undefined {
    const site = request.headers['sec-fetch-site'];
    if (site !== 'same-site' && site !== 'cross-site') return undefined;
    if (request.headers['sec-fetch-mode'] === 'navigate' && request.method === 'GET') return undefined;
    return {
      code: 'CROSS_ORIGIN_REQUEST',
      message: `the browser marks this request ${site}: only the UI's own pages may read this`,
    };
  }

  private isOwnOrigin(origin: string, host: string): boolean {
    if (this.origins.has(origin)) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // "null" among others
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) return false;
    const parsed = parseHost(host);
    if (!parsed) return false;
    // The same host and port as the request was sent to; the default port is written or not, either way.
    const defaultPort = url.protocol === 'https:' ? '443' : '80';
    return url.hostname === parsed.hostName && (url.port || defaultPort) === (parsed.port || defaultPort);
  }
}

/** "application/json" of "Application/JSON; charset=utf-8"; '' when absent. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** A Host header split into a lowercase name and a port; undefined unless it is exactly that. */
function parseHost(host: string): { hostName: string; port: string } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(host);
  if (!match?.[1]) return undefined;
  return { hostName: match[1].toLowerCase(), port: match[2] ?? '' };
}
