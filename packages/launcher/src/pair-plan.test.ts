import { createServer, type Server } from 'node:net';
import { readEnvironment } from '@bytebot/config';
import { afterEach, describe, expect, it } from 'vitest';
import { canBind, planPairs } from './pair-plan.ts';

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolvePromise) => server.close(resolvePromise));
});

/** A real listener on 127.0.0.1:port, as another program's would be. */
function occupy(port: number): Promise<void> {
  const server = createServer();
  servers.push(server);
  return new Promise((resolvePromise, rejectPromise) => {
    server.once('error', rejectPromise);
    server.listen(port, '127.0.0.1', () => resolvePromise());
  });
}

/** A free block of ports to plan in: the first of `span` ports nothing listens on. */
async function freeBlock(span: number): Promise<number> {
  for (let base = 20_000 + Math.floor(Math.random() * 20_000); ; base += span) {
    let free = true;
    for (let port = base; port < base + span && free; port += 1) free = await canBind(port, '127.0.0.1');
    if (free) return base;
  }
}

describe('the pairs npm start runs', () => {
  it('keeps one pair exactly as configured, its ids left to the agent', async () => {
    const environment = readEnvironment({});
    const [pair, ...rest] = await planPairs({
      desktops: 1,
      environment,
      source: {},
      uiPort: 9992,
      isRoot: true,
    });
    expect(rest).toEqual([]);
    expect(pair).toEqual({
      index: 1,
      display: ':99',
      bytebotdPort: 9990,
      vncPort: 5900,
      agentPort: 9991,
      bytebotdUrl: 'http://127.0.0.1:9990',
      agentUrl: 'http://127.0.0.1:9991',
      desktopId: undefined,
      agentId: undefined,
      desktopUser: undefined,
    });
  });

  it('gives further pairs the next free displays, ports ten apart, ids desktop-1..N and accounts of their own', async () => {
    const base = await freeBlock(40);
    const environment = readEnvironment({
      BYTEBOT_DISPLAY: ':99',
      BYTEBOTD_PORT: String(base),
      AGENT_PORT: String(base + 1),
      BYTEBOT_VNC_PORT: String(base + 5),
    });
    const heldDisplays = new Set([100, 102]);
    const pairs = await planPairs({
      desktops: 3,
      environment,
      source: {},
      uiPort: base + 2,
      isRoot: true,
      isDisplayFree: (number) => !heldDisplays.has(number),
    });
    expect(pairs.map((pair) => [pair.desktopId, pair.display, pair.bytebotdPort, pair.agentPort])).toEqual([
      ['desktop-1', ':99', base, base + 1],
      ['desktop-2', ':101', base + 10, base + 11],
      ['desktop-3', ':103', base + 20, base + 21],
    ]);
    expect(pairs.map((pair) => pair.vncPort)).toEqual([base + 5, base + 6, base + 7]);
    expect(pairs.map((pair) => pair.bytebotdUrl)).toEqual(
      [base, base + 10, base + 20].map((port) => `http://127.0.0.1:${port}`),
    );
    // Pair 1 keeps the account it always had; the others get their own.
    expect(pairs.map((pair) => pair.desktopUser)).toEqual([undefined, 'bytebot-2', 'bytebot-3']);
    expect(pairs.map((pair) => pair.agentId)).toEqual([undefined, undefined, undefined]);
  });

  it('steps over ports something else listens on, and prefixes the ids it is given', async () => {
    const base = await freeBlock(30);
    await occupy(base + 10);
    const pairs = await planPairs({
      desktops: 2,
      environment: readEnvironment({
        BYTEBOTD_PORT: String(base),
        AGENT_PORT: String(base + 1),
        BYTEBOT_VNC_PORT: String(base + 5),
      }),
      source: { BYTEBOT_DESKTOP_ID: 'laptop', BYTEBOT_AGENT_ID: 'worker', BYTEBOT_DESKTOP_USER: 'robot' },
      uiPort: base + 2,
      isRoot: false,
      isDisplayFree: () => true,
    });
    const second = pairs[1];
    // base+10 is taken; base+11, the next, is free, so the agent moves on to base+12.
    expect([second?.bytebotdPort, second?.agentPort]).toEqual([base + 11, base + 12]);
    expect(pairs.map((pair) => [pair.desktopId, pair.agentId])).toEqual([
      ['laptop-1', 'worker-1'],
      ['laptop-2', 'worker-2'],
    ]);
    // Not root: every desktop runs as whoever started npm start.
    expect(pairs.map((pair) => pair.desktopUser)).toEqual([undefined, undefined]);
  });

  it('refuses port 0 for several pairs: an agent must know where its bytebotd listens', async () => {
    await expect(
      planPairs({
        desktops: 2,
        environment: readEnvironment({ BYTEBOTD_PORT: '0' }),
        source: {},
        uiPort: 9992,
        isRoot: false,
      }),
    ).rejects.toThrow('BYTEBOTD_PORT: expected a fixed port with --desktops, got 0');
  });
});
