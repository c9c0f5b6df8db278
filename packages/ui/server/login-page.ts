import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestBodyError, readRequestBody } from '@bytebot/config';
import type { LoginThrottle } from './login-throttle.ts';
import { hasControlCharacter } from './request-path.ts';
import type { UiSessions } from './ui-session.ts';

/** The largest login form read: a password and a path fit many times over. */
const maximumFormBytes = 4096;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const placeholderOrigin = 'http://next.invalid';

/**
 * Where to go after logging in: a path on this server only, so a crafted link cannot send a person to
 * another site with the UI's name on it. Browsers read `\` as `/` and drop tabs and newlines, so
 * `/\evil.example` or `/<tab>/evil.example` is `//evil.example`, another host: anything but one leading
 * '/' followed by a non-slash, with no backslash or control character anywhere, goes to `/`, and the
 * result is the URL parser's own reading of the path.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !/^\/(?![/\\])/.test(next) || next.includes('\\') || hasControlCharacter(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, placeholderOrigin);
  } catch {
    return '/';
  }
  return url.origin === placeholderOrigin ? `${url.pathname}${url.search}${url.hash}` : '/';
}

function page(next: string, error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bytebot: log in</title>
<style>
  :root { color-scheme: light dark; --background: #f6f7f9; --surface: #fff; --text: #1d2330; --border: #dfe3ea; --accent: #2f6fed; --accent-text: #fff; --danger: #c93b3b; }
  @media (prefers-color-scheme: dark) { :root { --background: #12151b; --surface: #1b2029; --text: #e6e9ef; --border: #2c3340; --accent: #5b8df6; --accent-text: #0d1322; --danger: #ef6b6b; } }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--background); color: var(--text); font: 15px system-ui, sans-serif; }
  form { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 24px; display: grid; gap: 12px; width: min(340px, 90vw); }
  h1 { margin: 0; font-size: 1.2rem; }
  input, button { font: inherit; padding: 8px 10px; border-radius: 8px; border: 1px solid var(--border); }
  button { background: var(--accent); color: var(--accent-text); border-color: var(--accent); cursor: pointer; }
  .error { color: var(--danger); margin: 0; }
</style></head>
<body><form method="post" action="/login">
<h1>Bytebot</h1>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" autofocus required>
<input type="hidden" name="next" value="${escapeHtml(next)}">
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<button type="submit">Log in</button>
</form></body></html>`;
}

/**
 * How much of an oversized form is read (and dropped) before answering 413: a client still sending when
 * the server answers and closes gets a reset, and often sees a broken pipe rather than the 413.
 */
const maximumDrainedBytes = 1024 * 1024;

/** The form's fields, or RequestBodyError ('PAYLOAD_TOO_LARGE') past `maximumFormBytes`. */
async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const body = await readRequestBody(request, {
    maxBytes: maximumFormBytes,
    drainUpToBytes: maximumDrainedBytes,
  });
  return new URLSearchParams(body.toString('utf8'));
}

function refuseLargeForm(response: ServerResponse, drained: boolean): void {
  response.writeHead(413, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    // Past the drain limit the rest of the body is not read: this connection cannot carry another request.
    ...(drained ? {} : { connection: 'close' }),
  });
  response.end(
    `The login form is larger than 4 KB (${maximumFormBytes} bytes): send only the password and "next".\n`,
  );
}

/** The client a login attempt is counted against: the connection's address (see LoginThrottle). */
function clientOf(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/**
 * GET shows the form; POST checks the password, unless this client is locked out after wrong ones (429
 * with Retry-After), sets the session cookie and goes on to `next`.
 */
export async function handleLogin(
  request: IncomingMessage,
  response: ServerResponse,
  sessions: UiSessions,
  throttle: LoginThrottle,
): Promise<void> {
  const url = new URL(request.url ?? '/login', 'http://localhost');
  if (request.method === 'POST') {
    let form: URLSearchParams;
    try {
      form = await readForm(request);
    } catch (error) {
      if (error instanceof RequestBodyError && error.code === 'PAYLOAD_TOO_LARGE') {
        refuseLargeForm(response, error.connectionReusable);
        return;
      }
      throw error;
    }
    const next = safeNext(form.get('next'));
    const client = clientOf(request);
    // Checked, compared and counted with no wait in between, so parallel guesses cannot all slip past one check.
    const verdict = throttle.check(client);
    if (!verdict.allowed) {
      response.writeHead(429, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'retry-after': String(verdict.retryAfterSeconds),
      });
      response.end(page(next, `Too many wrong passwords: try again in ${verdict.retryAfterSeconds} s.`));
      return;
    }
    if (sessions.passwordMatches(form.get('password') ?? '')) {
      throttle.recordSuccess(client);
      const secure = request.headers['x-forwarded-proto'] === 'https';
      response.writeHead(303, {
        location: next,
        'set-cookie': sessions.issue(secure),
        'cache-control': 'no-store',
      });
      response.end();
      return;
    }
    throttle.recordFailure(client);
    response.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(page(next, 'That password is not right.'));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(page(safeNext(url.searchParams.get('next'))));
}

/** Ends the session on the server, not only in this browser: the cookie is worthless afterwards. */
export function handleLogout(request: IncomingMessage, response: ServerResponse, sessions: UiSessions): void {
  sessions.revoke(request);
  response.writeHead(303, {
    location: '/login',
    'set-cookie': sessions.clear(),
    'cache-control': 'no-store',
  });
  response.end();
}
