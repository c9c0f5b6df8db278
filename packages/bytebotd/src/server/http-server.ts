import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Authorize, type Logger, type RateLimiter, rateLimitKey } from '@bytebot/config';
import {
  type ActionName,
  bytebotdOpenApiDocument,
  computerActionSchema,
  type Health,
  limits,
} from '@bytebot/protocol';
import { BytebotdError } from '../bytebotd-error.ts';
import { Computer } from '../computer/computer.ts';
import { attachWebsockifyProxy, createNoVncHandler } from '../live-view/index.ts';
import { createMcpEndpoint } from '../mcp/mcp-endpoint.ts';
import { errorResponseFor, validationError } from './error-response.ts';
import { jsonPieces } from './json-pieces.ts';
import { readJsonBody } from './request-body.ts';

export interface BytebotdServerOptions {
  computer: Computer;
  authorize: Authorize;
  health: () => Promise<Health>;
  version: string;
  log: Logger;
  vnc: { host: string; port: number; password?: string | undefined } | undefined;
  /** Limits computer actions (REST and MCP) per token; undefined for no limit. */
  actionLimiter?: RateLimiter | undefined;
}

export interface BytebotdServer {
  server: Server;
  close(): Promise<void>;
}

/** Where a result's one large field is: base64 made by Buffer#toString, text that JSON needs no escaping for. */
function base64PathOf(actionName: ActionName, result: unknown): string[] | undefined {
  if (actionName === 'screenshot' || actionName === 'zoom') return ['image'];
  if (actionName === 'read_file') return ['data'];
  if (result !== null && typeof result === 'object' && 'screenshot' in result) return ['screenshot', 'image'];
  return undefined;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  base64Path?: readonly string[],
): void {
  const pieces = base64Path ? jsonPieces(body, base64Path) : [JSON.stringify(body)];
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': pieces.reduce((length, piece) => length + Buffer.byteLength(piece), 0),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  for (const piece of pieces.slice(0, -1)) response.write(piece);
  response.end(pieces.at(-1));
}

function sendError(response: ServerResponse, error: BytebotdError, headers?: Record<string, string>): void {
  const { status, body } = errorResponseFor(error);
  sendJson(response, status, body, headers);
}

const routes: Record<string, string[]> = {
  '/computer-use': ['POST'],
  '/health': ['GET', 'HEAD'],
  '/openapi.json': ['GET', 'HEAD'],
  // Stateless streamable HTTP: every exchange is one POST; there is no stream to GET or session to DELETE.
  '/mcp': ['POST'],
  // What the noVNC page needs to open the live view: the websocket and the VNC server's password.
  '/live-view': ['GET'],
};

export function createBytebotdServer(options: BytebotdServerOptions): BytebotdServer {
  const { computer, authorize, log } = options;
  const noVnc = createNoVncHandler();
  const mcp = createMcpEndpoint(computer, options.version);
  const openApi = JSON.stringify(bytebotdOpenApiDocument(options.version));

  async function computerUse(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<string | undefined> {
    const body = await readJsonBody(request, response, limits.maxBodyBytes);
    const parsed = computerActionSchema.safeParse(body);
    if (!parsed.success) throw validationError(parsed.error.issues, body);
    const action = parsed.data;
    // The deadline, and the caller hanging up, both stop the action: nothing keeps driving the desktop for nobody.
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          new BytebotdError(
            'TIMEOUT',
            `${action.action}: did not finish within ${Computer.deadlineFor(action)} ms`,
          ),
        ),
      Computer.deadlineFor(action),
    );
    const onClose = () => {
      if (!response.writableFinished)
        controller.abort(new BytebotdError('TIMEOUT', `${action.action}: the caller went away`));
    };
    response.on('close', onClose);
    // A caller that hung up while its body was read has already closed the socket: no event will come.
    if (request.socket.destroyed) onClose();
    try {
      const result = await computer.execute(action as never, controller.signal);
      sendJson(response, 200, result, {}, base64PathOf(action.action, result));
      return action.action;
    } finally {
      clearTimeout(timer);
      response.off('close', onClose);
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<string | undefined> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const { pathname } = url;
    if (pathname === '/health' && (request.method === 'GET' || request.method === 'HEAD')) {
      const health = await options.health();
      sendJson(response, health.status === 'ok' ? 200 : 503, health);
      return undefined;
    }
    if (pathname === '/novnc' || pathname.startsWith('/novnc/')) {
      // noVNC's files are the public open-source client, no data: the websocket they open is what is guarded.
      if (await noVnc(request, response, pathname)) return undefined;
    }
    const methods = routes[pathname];
    if (!methods) throw new BytebotdError('NOT_FOUND', `no route ${request.method} ${pathname}`);
    if (!authorize(request)) {
      throw new BytebotdError(
        'UNAUTHORIZED',
        'authorization: expected "Bearer <token>" with the bytebotd token',
      );
    }
    if (options.actionLimiter && (pathname === '/computer-use' || pathname === '/mcp')) {
      // Counted for the client it authenticated, however its header is written (`BEARER T`, extra spaces).
      const taken = options.actionLimiter.take(rateLimitKey(request));
      if (!taken.allowed) {
        const error = new BytebotdError(
          'RATE_LIMITED',
          `too many actions: wait ${taken.retryAfterSeconds} s (BYTEBOT_RATE_LIMIT_ACTIONS)`,
        );
        sendError(response, error, { 'retry-after': String(taken.retryAfterSeconds) });
        return undefined;
      }
    }
    if (!methods.includes(request.method ?? '')) {
      sendError(
        response,
        new BytebotdError('METHOD_NOT_ALLOWED', `${pathname}: expected ${methods.join(' or ')}`),
        {
          allow: methods.join(', '),
        },
      );
      return undefined;
    }
    if (pathname === '/openapi.json') {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-cache',
      });
      response.end(request.method === 'HEAD' ? undefined : openApi);
      return undefined;
    }
    if (pathname === '/live-view') {
      sendJson(response, 200, { websocket: '/websockify', password: options.vnc?.password ?? null });
      return undefined;
    }
    if (pathname === '/mcp') {
      await mcp(request, response, await readJsonBody(request, response, limits.maxBodyBytes));
      return 'mcp';
    }
    return computerUse(request, response);
  }

  const server = createServer({ requestTimeout: 120_000, headersTimeout: 30_000 }, (request, response) => {
    const started = performance.now();
    handle(request, response)
      .then((actionName) => logRequest(actionName))
      .catch((error: unknown) => {
        if (error instanceof BytebotdError) {
          if (!response.headersSent)
            sendError(response, error, error.code === 'UNAUTHORIZED' ? { 'www-authenticate': 'Bearer' } : {});
          else response.destroy();
          logRequest(undefined, error.code);
          return;
        }
        // Anything else is a broken invariant in our code, not the caller's mistake.
        log.error(`${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}`);
        if (!response.headersSent)
          sendError(response, new BytebotdError('INTERNAL', 'internal error; see the bytebotd log'));
        else response.destroy();
      });
    const logRequest = (actionName: ActionName | string | undefined, code?: string) => {
      const path = (request.url ?? '/').split('?')[0];
      const milliseconds = (performance.now() - started).toFixed(1);
      log.debug(
        `${request.method} ${path}${actionName ? ` ${actionName}` : ''} ${response.statusCode}${code ? ` ${code}` : ''} ${milliseconds}ms`,
      );
    };
  });
  // A body larger than the limit is refused while it arrives; keep the socket from lingering afterwards.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  const proxy = options.vnc
    ? attachWebsockifyProxy(server, {
        path: '/websockify',
        vncHost: options.vnc.host,
        vncPort: options.vnc.port,
        authorize: (request) => authorize(request, { allowQueryToken: true }),
        log: (line) => log.info(line),
      })
    : undefined;

  return {
    server,
    async close() {
      await proxy?.close();
      await new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      });
    },
  };
}
