import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

export interface Upstream {
  /** Base URL, e.g. http://127.0.0.1:9991 */
  url: URL;
  /** Sent as "Authorization: Bearer"; the browser never sees it. */
  token: string | undefined;
  /** Named in the error a browser gets when it is down. */
  name: string;
}

/** Headers that belong to one hop, not to the request being passed on. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

function forwardedHeaders(request: IncomingMessage, upstream: Upstream): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    // The browser's credentials stay here, and so does its Origin: this server checked it (request-guard.ts),
    // and upstream the request is this server's own, made with its token.
    if (value === undefined || hopByHop.has(name) || ['authorization', 'cookie', 'origin'].includes(name))
      continue;
    headers[name] = value;
  }
  headers.host = upstream.url.host;
  if (upstream.token) headers.authorization = `Bearer ${upstream.token}`;
  return headers;
}

function unavailable(response: ServerResponse, upstream: Upstream, reason: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
  response.end(
    JSON.stringify({
      error: { code: 'UPSTREAM_UNAVAILABLE', message: `the ${upstream.name} is unreachable: ${reason}` },
    }),
  );
}

/** Passes an HTTP request on to the upstream at `path`, streaming both bodies. */
export function proxyRequest(
  request: IncomingMessage,
  response: ServerResponse,
  upstream: Upstream,
  path: string,
): void {
  const outgoing = httpRequest(
    {
      host: upstream.url.hostname,
      port: upstream.url.port,
      method: request.method,
      path,
      headers: forwardedHeaders(request, upstream),
      timeout: 120_000,
    },
    (answer) => {
      const headers = { ...answer.headers };
      for (const name of hopByHop) delete headers[name];
      response.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(response);
    },
  );
  outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 120 s')));
  outgoing.on('error', (error) => unavailable(response, upstream, error.message));
  request.pipe(outgoing);
}

/**
 * Passes a websocket upgrade on to the upstream as raw bytes once the request line and headers are
 * rewritten (path and token), so both the socket.io events and the VNC stream reach the browser through
 * this one port. The checks (Origin, session, path allow-list) are made before this is called.
 *
 * Kept hand-written rather than a library: `ws` (the only websocket library we depend on) would end the
 * websocket here and open a second one upstream, parsing and re-framing every VNC frame and needing its own
 * limits, subprotocol and extension negotiation; http-proxy is not a dependency (and unmaintained), and for
 * an upgrade it does what this does, a rewritten request then two pipes. Here the upstream's own answer
 * (101, or a refusal) reaches the browser byte for byte.
 */
export function proxyUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  upstream: Upstream,
  path: string,
): void {
  const target = connect({ host: upstream.url.hostname, port: Number(upstream.url.port) });
  const headers = forwardedHeaders(request, upstream);
  headers.connection = 'Upgrade';
  headers.upgrade = request.headers.upgrade ?? 'websocket';
  target.once('connect', () => {
    const lines = [`GET ${path} HTTP/1.1`];
    for (const [name, value] of Object.entries(headers)) {
      for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
    }
    target.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) target.write(head);
    target.pipe(socket);
    socket.pipe(target);
  });
  const close = () => {
    target.destroy();
    socket.destroy();
  };
  target.on('error', close);
  socket.on('error', close);
  target.on('close', () => socket.end());
  socket.on('close', () => target.destroy());
}
