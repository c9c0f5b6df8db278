import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConfigurationError, createLogger, readEnvironment, readToken } from '@bytebot/config';
import next from 'next';
import { handleLogin, handleLogout } from './login-page.ts';
import { proxyRequest, proxyUpgrade, type Upstream } from './proxy.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { readStatus } from './status.ts';
import { ensureUiPassword } from './ui-password.ts';
import { UiSessions } from './ui-session.ts';

const log = createLogger('ui', process.env.BYTEBOT_LOG_LEVEL === 'debug' ? 'debug' : 'info');
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The UI's own server: the Next.js pages, plus the agent's API and events under /api/agent and the live
 * view (noVNC and its websocket) from bytebotd, each with the token added here. A person opens this one
 * port; the tokens never reach the browser.
 */
async function main(): Promise<void> {
  const environment = readEnvironment();
  const uiPort = readUiPort(process.env.UI_PORT);
  const token = readToken(environment);
  const agent: Upstream = { url: new URL(environment.agentUrl), token, name: 'agent' };
  const bytebotd: Upstream = { url: new URL(environment.bytebotdUrl), token, name: 'desktop (bytebotd)' };
  const sessions = environment.authenticationEnabled ? createSessions(environment.dataDirectory) : undefined;
  if (!sessions) log.warn('BYTEBOT_AUTH=off: the UI asks for no password. Use only for local development.');
  const app = next({ dev: process.env.NODE_ENV === 'development', dir: packageRoot, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    setSecurityHeaders(response);
    const pathname = url.split('?')[0] ?? '/';
    if (pathname === '/health') {
      // For supervisors and load balancers: says only that this server runs.
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end('{"status":"ok"}');
      return;
    }
    if (sessions && pathname === '/login') {
      handleLogin(request, response, sessions).catch((error: Error) => {
        log.error(error.stack ?? error.message);
        if (!response.headersSent) response.writeHead(400).end();
      });
      return;
    }
    if (sessions && pathname === '/logout') {
      handleLogout(response, sessions);
      return;
    }
    if (sessions && !sessions.isValid(request)) {
      if (pathname.startsWith('/api/') || pathname.startsWith('/novnc/')) {
        response.writeHead(401, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'log in to the UI first' } }));
      } else {
        response.writeHead(303, { location: `/login?next=${encodeURIComponent(url)}` });
        response.end();
      }
      return;
    }
    if (url === '/api/live-view') {
      proxyRequest(request, response, bytebotd, '/live-view');
      return;
    }
    if (url === '/api/status') {
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
    if (url.startsWith('/api/agent/')) {
      proxyRequest(request, response, agent, url.slice('/api/agent'.length));
      return;
    }
    if (url.startsWith('/novnc/')) {
      proxyRequest(request, response, bytebotd, url);
      return;
    }
    handle(request, response).catch((error: Error) => {
      log.error(error.stack ?? error.message);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.on('upgrade', (request, socket, head) => {
    const url = request.url ?? '/';
    if (sessions && !sessions.isValid(request)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    if (url.startsWith('/api/agent/socket.io/')) {
      proxyUpgrade(request, socket, head, agent, url.slice('/api/agent'.length));
    } else if (url.startsWith('/websockify')) {
      // The live view's websocket carries the token as a query parameter (browsers set no headers there).
      const path = token ? `/websockify?token=${encodeURIComponent(token)}` : '/websockify';
      proxyUpgrade(request, socket, head, bytebotd, path);
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
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
  return new UiSessions(password);
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
