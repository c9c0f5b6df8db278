import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ConfigurationError, createLogger, readEnvironment, readToken } from '@bytebot/config';
import next from 'next';
import { handleLogin, handleLogout } from './login-page.ts';
import { LoginThrottle } from './login-throttle.ts';
import { proxyRequest, proxyUpgrade, type Upstream } from './proxy.ts';
import { changesState, type Refusal, RequestGuard } from './request-guard.ts';
import { desktopWebsockifyPath, normaliseRequestTarget } from './request-path.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { readStatus } from './status.ts';
import { ensureUiPassword } from './ui-password.ts';
import { UiSessions } from './ui-session.ts';
import { readUiSettings } from './ui-settings.ts';

const log = createLogger('ui', process.env.BYTEBOT_LOG_LEVEL === 'debug' ? 'debug' : 'info');
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Answered in JSON (401, not a redirect to /login), and not to be embedded by another origin's page. */
const apiPrefixes = ['/api/', '/novnc/'];

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify({ error: { code, message } }));
}

function refuse(response: ServerResponse, refusal: Refusal): void {
  log.debug(`refused: ${refusal.code}: ${refusal.message}`);
  sendError(response, 403, refusal.code, refusal.message);
}

/** An answer on a socket that asked to upgrade, for which no ServerResponse exists. */
function endUpgrade(socket: Duplex, status: string, code?: string, message?: string): void {
  const body = code ? JSON.stringify({ error: { code, message } }) : '';
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * The UI's own server: the Next.js pages, plus the agent's API and events under /api/agent and the live
 * view (noVNC and its websocket) from bytebotd, each with the token added here; the live view of any other
 * desktop of the fleet is the agent's (/api/agent/desktops/{id}/websockify). A person opens this one
 * port; the tokens never reach the browser. Every request is checked in this order: its path (normalised,
 * 400 when malformed), its Host (403: DNS rebinding), the session (401), then where it comes from (403:
 * another origin's page), and only then routed on the normalised path.
 */
async function main(): Promise<void> {
  const environment = readEnvironment();
  const settings = readUiSettings();
  const uiPort = readUiPort(process.env.UI_PORT);
  const token = readToken(environment);
  const agent: Upstream = { url: new URL(environment.agentUrl), token, name: 'agent' };
  const bytebotd: Upstream = { url: new URL(environment.bytebotdUrl), token, name: 'desktop (bytebotd)' };
  const sessions = environment.authenticationEnabled ? createSessions(environment.dataDirectory) : undefined;
  if (!sessions) log.warn('BYTEBOT_AUTH=off: the UI asks for no password. Use only for local development.');
  const throttle = new LoginThrottle(settings.login);
  const guard = new RequestGuard(settings.origins);
  const app = next({ dev: process.env.NODE_ENV === 'development', dir: packageRoot, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = createServer((request, response) => {
    setSecurityHeaders(response);
    const target = normaliseRequestTarget(request.url ?? '/');
    if ('error' in target) {
      sendError(response, 400, 'BAD_PATH', target.error);
      return;
    }
    const { path, query } = target;
    if (path === '/health') {
      // For supervisors and load balancers (whatever Host they send): says only that this server runs.
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end('{"status":"ok"}');
      return;
    }
    const wrongHost = guard.checkHost(request);
    if (wrongHost) {
      refuse(response, wrongHost);
      return;
    }
    // Everything below, Next.js included, sees the one form that was checked.
    request.url = `${path}${query}`;
    if (sessions && path === '/login') {
      // No session at stake: a program may log in without an Origin, but no other origin's page may.
      const crossOrigin = changesState(request)
        ? guard.checkStateChange(request, { withoutOrigin: 'allow' })
        : undefined;
      if (crossOrigin) {
        refuse(response, crossOrigin);
        return;
      }
      handleLogin(request, response, sessions, throttle).catch((error: Error) => {
        log.error(error.stack ?? error.message);
        if (!response.headersSent)
          sendError(response, 400, 'BAD_REQUEST', 'the login form could not be read');
      });
      return;
    }
    if (sessions && path === '/logout') {
      const crossOrigin = changesState(request)
        ? guard.checkStateChange(request, { withoutOrigin: 'allow' })
        : guard.checkNavigation(request);
      if (crossOrigin) {
        refuse(response, crossOrigin);
        return;
      }
      handleLogout(request, response, sessions);
      return;
    }
    if (sessions && !sessions.isValid(request)) {
      if (apiPrefixes.some((prefix) => path.startsWith(prefix))) {
        sendError(response, 401, 'UNAUTHORIZED', 'log in to the UI first');
      } else {
        response.writeHead(303, { location: `/login?next=${encodeURIComponent(`${path}${query}`)}` });
        response.end();
      }
      return;
    }
    const crossOrigin = changesState(request)
      ? guard.checkStateChange(request, { withoutOrigin: 'json' })
      : apiPrefixes.some((prefix) => path.startsWith(prefix))
        ? guard.checkRead(request)
        : undefined;
    if (crossOrigin) {
      refuse(response, crossOrigin);
      return;
    }
    if (path === '/api/live-view') {
      proxyRequest(request, response, bytebotd, '/live-view');
      return;
    }
    if (path === '/api/status') {
      readStatus(agent, bytebotd).then(
        (status) => {
          response.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'cache-control': 'no-store',
          });
          response.end(JSON.stringify(status));
        },
        (error: Error) => {
          log.error(error.stack ?? error.message);
          response.writeHead(500).end();
        },
      );
      return;
    }
    if (path.startsWith('/api/agent/')) {
      proxyRequest(request, response, agent, `${path.slice('/api/agent'.length)}${query}`);
      return;
    }
    if (path.startsWith('/novnc/')) {
      proxyRequest(request, response, bytebotd, `${path}${query}`);
      return;
    }
    handle(request, response).catch((error: Error) => {
      log.error(error.stack ?? error.message);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = normaliseRequestTarget(request.url ?? '/');
    if ('error' in target) {
      endUpgrade(socket, '400 Bad Request', 'BAD_PATH', target.error);
      return;
    }
    const wrongHost = guard.checkHost(request);
    if (wrongHost) {
      endUpgrade(socket, '403 Forbidden', wrongHost.code, wrongHost.message);
      return;
    }
    if (sessions && !sessions.isValid(request)) {
      endUpgrade(socket, '401 Unauthorized', 'UNAUTHORIZED', 'log in to the UI first');
      return;
    }
    // Browsers send Origin with every websocket handshake: one without it is no page of ours.
    const crossOrigin = guard.checkStateChange(request, { withoutOrigin: 'refuse' });
    if (crossOrigin) {
      endUpgrade(socket, '403 Forbidden', crossOrigin.code, crossOrigin.message);
      return;
    }
    const { path, query } = target;
    const fleetLiveView = desktopWebsockifyPath(path);
    if (path.startsWith('/api/agent/socket.io/')) {
      proxyUpgrade(request, socket, head, agent, `${path.slice('/api/agent'.length)}${query}`);
    } else if (fleetLiveView) {
      // Any desktop of the fleet, through the agent (which holds the addresses); the query is not passed on,
      // so nothing but this server's own token reaches the agent.
      proxyUpgrade(request, socket, head, agent, fleetLiveView);
    } else if (path === '/websockify') {
      // The live view's websocket carries the token as a query parameter (browsers set no headers there).
      const upstreamPath = token ? `/websockify?token=${encodeURIComponent(token)}` : '/websockify';
      proxyUpgrade(request, socket, head, bytebotd, upstreamPath);
    } else {
      endUpgrade(socket, '404 Not Found');
    }
  });
  await new Promise<void>((resolvePromise, rejectPromise) => {
    server.once('error', rejectPromise);
    server.listen(uiPort, environment.host, () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  log.info(
    `listening on http://${environment.host}:${port} (agent ${agent.url.origin}, bytebotd ${bytebotd.url.origin})`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    app.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function createSessions(dataDirectory: string): UiSessions {
  const { password, generated, file } = ensureUiPassword({
    password: process.env.BYTEBOT_UI_PASSWORD,
    dataDirectory,
  });
  if (generated) {
    // Printed this once; later starts point at the file.
    process.stdout.write(`\nThe UI's password (generated now, kept in ${file}): ${password}\n\n`);
  } else if (file) {
    log.info(`the UI's password is in ${file}`);
  }
  return new UiSessions(password, {
    file: join(dataDirectory, 'ui-sessions.json'),
    warn: (message) => log.warn(message),
  });
}

function readUiPort(text: string | undefined): number {
  if (text === undefined || text === '') return 9992;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError('UI_PORT', `expected a port number from 0 to 65535, got "${text}"`);
  }
  return port;
}

main().catch((error: unknown) => {
  log.error(error instanceof ConfigurationError ? error.message : ((error as Error).stack ?? String(error)));
  process.exit(1);
});
