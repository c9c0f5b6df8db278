import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UiSessions } from './ui-session.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Only paths on this server: a crafted `next` must not send a person elsewhere after logging in. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function page(next: string, error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bytebot: log in</title>
<style>
  :root { color-scheme: light dark; --background: #f6f7f9; --surface: #fff; --text: #1d2330; --border: #dfe3ea; --accent: #2f6fed; }
  @media (prefers-color-scheme: dark) { :root { --background: #12151b; --surface: #1b2029; --text: #e6e9ef; --border: #2c3340; --accent: #5b8df6; } }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--background); color: var(--text); font: 15px system-ui, sans-serif; }
  form { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 24px; display: grid; gap: 12px; width: min(340px, 90vw); }
  h1 { margin: 0; font-size: 1.2rem; }
  input, button { font: inherit; padding: 8px 10px; border-radius: 8px; border: 1px solid var(--border); }
  button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
  .error { color: #d04444; margin: 0; }
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

function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolvePromise, rejectPromise) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 4096) request.destroy(new Error('login form too large'));
    });
    request.on('end', () => resolvePromise(new URLSearchParams(body)));
    request.on('error', rejectPromise);
  });
}

/** GET shows the form; POST checks the password, sets the session cookie and goes on to `next`. */
export async function handleLogin(
  request: IncomingMessage,
  response: ServerResponse,
  sessions: UiSessions,
): Promise<void> {
  const url = new URL(request.url ?? '/login', 'http://localhost');
  if (request.method === 'POST') {
    const form = await readForm(request);
    const next = safeNext(form.get('next'));
    if (sessions.passwordMatches(form.get('password') ?? '')) {
      const secure = request.headers['x-forwarded-proto'] === 'https';
      response.writeHead(303, {
        location: next,
        'set-cookie': sessions.issue(secure),
        'cache-control': 'no-store',
      });
      response.end();
      return;
    }
    response.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(page(next, 'That password is not right.'));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(page(safeNext(url.searchParams.get('next'))));
}

export function handleLogout(response: ServerResponse, sessions: UiSessions): void {
  response.writeHead(303, { location: '/login', 'set-cookie': sessions.clear() });
  response.end();
}
