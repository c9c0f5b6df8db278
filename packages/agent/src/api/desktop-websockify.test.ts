import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BytebotdClient } from '@bytebot/client';
import { createAuthorize } from '@bytebot/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { AgentError } from '../agent-error.ts';
import { attachDesktopWebsockify } from './desktop-websockify.ts';

const listen = async (server: Server) => {
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** The status of a refused upgrade, and its JSON body. */
function refusal(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: { error: { code: string; message: string } } }>(
    (resolvePromise, rejectPromise) => {
      const socket = new WebSocket(url, ['binary'], { headers });
      socket.on('unexpected-response', (_request, response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        response.on('end', () =>
          resolvePromise({ status: response.statusCode ?? 0, body: JSON.parse(text) }),
        );
      });
      socket.on('open', () => rejectPromise(new Error(`${url} was accepted`)));
      socket.on('error', () => undefined);
    },
  );
}

describe("the agent's websocket to any desktop's live view", () => {
  const token = 'the-fleet-token';
  let desktop: Server;
  let agent: Server;
  let agentHost: string;
  let closedPort: string;
  /** What the stand-in bytebotd was asked, by its path. */
  const seen: IncomingMessage[] = [];

  beforeAll(async () => {
    // A stand-in bytebotd: it checks the token as bytebotd does, then echoes each frame.
    desktop = createServer();
    const sockets = new WebSocketServer({ noServer: true });
    desktop.on('upgrade', (request, socket, head) => {
      seen.push(request);
      if (request.url !== '/websockify' || request.headers.authorization !== `Bearer ${token}`) {
        socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      sockets.handleUpgrade(request, socket, head, (websocket) =>
        websocket.on('message', (data: Buffer) =>
          websocket.send(Buffer.concat([Buffer.from('echo:'), data])),
        ),
      );
    });
    const desktopHost = await listen(desktop);
    const closed = createServer();
    closedPort = (await listen(closed)).split(':')[1] as string;
    await new Promise((resolvePromise) => closed.close(resolvePromise));

    agent = createServer((_request, response) => response.writeHead(404).end());
    attachDesktopWebsockify(agent, {
      directory: {
        async reach(id) {
          if (id === 'desktop-1')
            return { id, url: new URL(`http://${desktopHost}`), client: new BytebotdClient({ baseUrl: '' }) };
          if (id === 'desktop:gone')
            return {
              id,
              url: new URL(`http://127.0.0.1:${closedPort}`),
              client: new BytebotdClient({ baseUrl: '' }),
            };
          if (id === 'desktop-2') throw new AgentError('DESKTOP_UNAVAILABLE', 'desktop "desktop-2" is down');
          throw new AgentError('NOT_FOUND', `id: no desktop "${id}" in the fleet`);
        },
      },
      authorize: createAuthorize(token),
      allowedOrigins: ['http://127.0.0.1:9992'],
      token,
      socketIoPath: '/socket.io/',
      log: { warn: () => undefined },
    });
    agentHost = await listen(agent);
  });

  afterAll(async () => {
    agent?.closeAllConnections();
    desktop?.closeAllConnections();
    await new Promise((resolvePromise) => agent?.close(resolvePromise));
    await new Promise((resolvePromise) => desktop?.close(resolvePromise));
  });

  it("pipes to the desktop's bytebotd with the fleet's token, the caller's credentials and Origin kept here", async () => {
    const socket = new WebSocket(`ws://${agentHost}/desktops/desktop-1/websockify`, ['binary'], {
      headers: { authorization: `Bearer ${token}`, origin: 'http://127.0.0.1:9992', cookie: 'session=x' },
    });
    await new Promise((resolvePromise, rejectPromise) => {
      socket.once('open', resolvePromise);
      socket.once('error', rejectPromise);
    });
    expect(socket.protocol).toBe('binary');
    const echoed = new Promise<string>((resolvePromise) =>
      socket.once('message', (data: Buffer) => resolvePromise(data.toString('utf8'))),
    );
    socket.send(Buffer.from('RFB 003.008\n'));
    expect(await echoed).toBe('echo:RFB 003.008\n');
    socket.close();
    const asked = seen.at(-1);
    expect(asked?.headers.origin).toBeUndefined();
    expect(asked?.headers.cookie).toBeUndefined();
    expect(asked?.headers.host).not.toBe(agentHost);

    // A browser cannot set a header: the token in the query works too.
    const viaQuery = new WebSocket(`ws://${agentHost}/desktops/desktop-1/websockify?token=${token}`);
    await new Promise((resolvePromise, rejectPromise) => {
      viaQuery.once('open', resolvePromise);
      viaQuery.once('error', rejectPromise);
    });
    viaQuery.close();
  });

  it('refuses another origin, a missing or wrong token, and other paths, each in JSON', async () => {
    const url = `ws://${agentHost}/desktops/desktop-1/websockify`;
    const foreign = await refusal(url, { authorization: `Bearer ${token}`, origin: 'http://127.0.0.1:8000' });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
      const anonymous = await refusal(url, headers);
      expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
    }
    expect((await refusal(`${url}?token=wrong`)).status).toBe(401);
    const elsewhere = await refusal(`ws://${agentHost}/websockify`, { authorization: `Bearer ${token}` });
    expect(elsewhere.status).toBe(404);
  });

  it('answers 404 for an unknown desktop and 503 naming one that is down or does not answer', async () => {
    const headers = { authorization: `Bearer ${token}` };
    const unknown = await refusal(`ws://${agentHost}/desktops/nowhere/websockify`, headers);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const down = await refusal(`ws://${agentHost}/desktops/desktop-2/websockify`, headers);
    expect([down.status, down.body.error.message]).toEqual([503, 'desktop "desktop-2" is down']);
    const gone = await refusal(`ws://${agentHost}/desktops/desktop%3Agone/websockify`, headers);
    expect(gone.status).toBe(503);
    expect(gone.body.error.message).toMatch(/^desktop "desktop:gone" does not answer/);
  });
});
