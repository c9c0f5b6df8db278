import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import { connect as connectTcp } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as connectTls } from 'node:tls';
import type { Authorize } from '@bytebot/config';
import { type ErrorCode, errorStatuses } from '@bytebot/protocol';
import { AgentError } from '../agent-error.ts';
import type { DesktopDirectory } from '../fleet/desktop-directory.ts';
import { desktopFailure } from '../fleet/desktop-views.ts';

export interface DesktopWebsockifyOptions {
  directory: Pick<DesktopDirectory, 'reach'>;
  /** The agent's token check; the token may come as `?token=`, since browsers set no header on a websocket. */
  authorize: Authorize;
  /** Browser origins allowed to open it (the UI's); a request without Origin is a program's. */
  allowedOrigins: string[];
  /** bytebotd's token: the fleet's one BYTEBOT_TOKEN. */
  token: string | undefined;
  /** socket.io's path: its upgrades are socket.io's own. */
  socketIoPath: string;
  log: { warn(line: string): void };
}

const route = /^\/desktops\/([^/]+)\/websockify$/;

/** Headers that belong to one hop, or carry the caller's credentials and origin, which stay here. */
const notForwarded = new Set([
  'host',
  'connection',
  'upgrade',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'authorization',
  'cookie',
  'origin',
]);

/** How long the desktop's bytebotd has to accept the connection. */
const connectTimeoutMs = 10_000;

function answer(socket: Duplex, code: ErrorCode | undefined, message = '', headers: string[] = []): void {
  const status = code ? errorStatuses[code] : 404;
  const body = JSON.stringify({
    error: { code: code ?? 'NOT_FOUND', message: message || 'no such websocket' },
  });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'connection: close',
      ...headers,
      '',
      body,
    ].join('\r\n'),
  );
}

/**
 * The live view of any desktop of the fleet through this agent: `/desktops/{id}/websockify` is piped, byte
 * for byte, to that desktop's bytebotd `/websockify` with the token added here, so a browser (through the
 * UI's server) needs neither a desktop's address nor its token. Checked like every route of the agent: the
 * Origin (a websocket is not stopped by CORS, so another origin's page is refused here whatever the method),
 * then the token. Every other upgrade but socket.io's is answered 404 here (socket.io is told to leave them).
 */
export function attachDesktopWebsockify(server: Server, options: DesktopWebsockifyOptions): void {
  const allowed = new Set(options.allowedOrigins);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = request.url ?? '/';
    // socket.io's own test, a prefix of the raw target.
    if (target.startsWith(options.socketIoPath)) return;
    socket.on('error', () => socket.destroy());
    const match = route.exec(new URL(target, 'http://agent').pathname);
    if (!match?.[1]) {
      answer(socket, undefined);
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) {
      answer(
        socket,
        'ORIGIN_NOT_ALLOWED',
        `origin: ${origin.slice(0, 100)} may not open the live view here; allowed: ${[...allowed].join(', ')} (UI_ORIGIN)`,
      );
      return;
    }
    if (!options.authorize(request, { allowQueryToken: true })) {
      answer(
        socket,
        'UNAUTHORIZED',
        'authorization: expected "Bearer <token>" (or ?token=) with the Bytebot token',
        ['www-authenticate: Bearer'],
      );
      return;
    }
    let id: string;
    try {
      id = decodeURIComponent(match[1]);
    } catch {
      answer(socket, 'NOT_FOUND', 'id: malformed percent-encoding');
      return;
    }
    options.directory.reach(id).then(
      (desktop) => pipeToDesktop(request, socket, head, desktop.id, desktop.url, options),
      (error: unknown) => {
        if (error instanceof AgentError) answer(socket, error.code, error.message);
        else {
          options.log.warn(`live view of desktop ${id}: ${(error as Error).stack ?? String(error)}`);
          answer(socket, 'INTERNAL', 'internal error; see the agent log');
        }
      },
    );
  });
}

/** Opens bytebotd's websocket with this agent's token and joins the two sockets once it is connected. */
function pipeToDesktop(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  id: string,
  url: URL,
  options: DesktopWebsockifyOptions,
): void {
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const upstream = secure
    ? connectTls({ host, port, servername: host, timeout: connectTimeoutMs })
    : connectTcp({ host, port, timeout: connectTimeoutMs });
  let joined = false;
  upstream.once('timeout', () => upstream.destroy(new Error(`no connection within ${connectTimeoutMs} ms`)));
  upstream.once(secure ? 'secureConnect' : 'connect', () => {
    joined = true;
    upstream.setTimeout(0);
    const lines = [`GET ${url.pathname.replace(/\/+$/, '')}/websockify HTTP/1.1`, `host: ${url.host}`];
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || notForwarded.has(name)) continue;
      for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
    }
    lines.push('connection: Upgrade', `upgrade: ${request.headers.upgrade ?? 'websocket'}`);
    if (options.token) lines.push(`authorization: Bearer ${options.token}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    // bytebotd's own answer (101, or its refusal) reaches the caller as it is.
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', (error) => {
    if (joined) socket.destroy();
    else {
      const failure = desktopFailure(id, error);
      answer(socket, failure.code, failure.message);
    }
  });
  upstream.on('close', () => socket.end());
  socket.on('close', () => upstream.destroy());
}
