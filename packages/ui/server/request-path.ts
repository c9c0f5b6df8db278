import { fleetIdPattern } from '@bytebot/protocol';

/** A request target in one canonical form: what the routes match is exactly what an upstream receives. */
export interface RequestTarget {
  /** Decoded, dot segments resolved, empty segments dropped, then encoded again; always starts with '/'. */
  path: string;
  /** '' or '?...', as sent (its escapes checked, not changed). */
  query: string;
}

/** Characters RFC 3986 allows unescaped in a path segment besides the unreserved ones. */
const segmentCharacters = /%(?:21|24|26|27|28|29|2A|2B|2C|3A|3B|3D|40)/gi;

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(segmentCharacters, (kept) => decodeURIComponent(kept));
}

/**
 * Normalises a request's target before anything matches it, so that `/novnc/../computer-use` or
 * `/novnc/%2e%2e/computer-use` is `/computer-use` (no route of ours: the UI's own 404), not a path under
 * /novnc/ that the upstream then resolves to its API with our token. Refused outright, as no browser sends
 * them: malformed escapes, an encoded '/', a backslash (some servers read it as '/'), NUL or other control
 * characters, a '%' left after decoding (double encoding, for an upstream that decodes twice), and '..'
 * above the root. A browser resolves dot segments itself, so only crafted requests ever meet any of this.
 */
export function normaliseRequestTarget(target: string): RequestTarget | { error: string } {
  if (!target.startsWith('/')) return { error: 'the request target must be a path starting with "/"' };
  if (target.includes('#')) return { error: 'a request target has no fragment' };
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = queryStart === -1 ? '' : target.slice(queryStart);
  const segments: string[] = [];
  const rawSegments = rawPath.split('/').slice(1);
  let trailingSlash = rawPath.endsWith('/');
  for (const [index, rawSegment] of rawSegments.entries()) {
    const last = index === rawSegments.length - 1;
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      return { error: `malformed percent-encoding in the path: "${rawSegment.slice(0, 40)}"` };
    }
    if (/[/\\%]/.test(segment) || hasControlCharacter(segment)) {
      return { error: 'the path has an encoded "/", a backslash, a control character or double encoding' };
    }
    if (segment === '' || segment === '.') {
      trailingSlash ||= segment === '.' && last;
      continue;
    }
    if (segment === '..') {
      if (segments.pop() === undefined) return { error: 'the path climbs above the root' };
      trailingSlash ||= last;
      continue;
    }
    segments.push(segment);
  }
  if (!isWellEncoded(query)) return { error: 'malformed percent-encoding in the query' };
  const path = `/${segments.map(encodeSegment).join('/')}${trailingSlash && segments.length > 0 ? '/' : ''}`;
  return { path, query };
}

/** NUL, the other C0 control characters, or DEL. */
export function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function isWellEncoded(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The agent's path for the live view of one desktop of the fleet, when `path` (normalised) asks for it:
 * /api/agent/desktops/{id}/websockify, the id one the fleet allows (so exactly one plain segment).
 */
export function desktopWebsockifyPath(path: string): string | undefined {
  const match = /^\/api\/agent\/desktops\/([^/]+)\/websockify$/.exec(path);
  if (!match?.[1] || !fleetIdPattern.test(match[1])) return undefined;
  return `/desktops/${match[1]}/websockify`;
}
