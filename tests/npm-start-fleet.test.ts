import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentClient, BytebotdClient } from '@bytebot/client';
import { freePort } from '@bytebot/desktop';
import type { DesktopList } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/agent-process.ts';
import {
  alive,
  commandOf,
  descendants,
  environmentOf,
  freeDisplay,
  interruptLauncher,
  runLauncher,
  type StartedLauncher,
  startLauncher,
} from './support/npm-start-process.ts';
import { createTestDatabase } from './support/test-database.ts';

/** One row of the table `npm start -- --desktops N` prints once ready. */
interface PrintedPair {
  desktopId: string;
  display: string;
  bytebotdUrl: string;
  agentUrl: string;
}

function printedPairs(output: string): PrintedPair[] {
  return [...output.matchAll(/^ {2}(\S+)\s+display (:\d+)\s+bytebotd (\S+)\s+agent API (\S+)/gm)].map(
    ([, desktopId = '', display = '', bytebotdUrl = '', agentUrl = '']) => ({
      desktopId,
      display,
      bytebotdUrl,
      agentUrl,
    }),
  );
}

describe('npm start -- --desktops N: a fleet of pairs on one machine', () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'npm-start-fleet-'));
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let environment: Record<string, string>;
  let launcher: StartedLauncher | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const [bytebotd, agent, ui, vnc] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    environment = {
      BYTEBOT_DATA_DIR: dataDirectory,
      BYTEBOT_DISPLAY: freeDisplay(),
      BYTEBOTD_PORT: String(bytebotd),
      AGENT_PORT: String(agent),
      UI_PORT: String(ui),
      BYTEBOT_VNC_PORT: String(vnc),
      BYTEBOT_TOKEN: '',
      BYTEBOT_DESKTOP_ID: '',
      BYTEBOT_AGENT_ID: '',
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      // A queue of its own: no other test's agents take these desktops' tasks.
      BYTEBOT_QUEUE_NAME: `bytebot-test-${randomUUID()}`,
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1',
    };
  });

  afterAll(async () => {
    if (launcher) {
      const pids = await interruptLauncher(launcher);
      await eventually('every process to be gone', async () => (pids.some(alive) ? undefined : true), 20_000);
    }
    await database?.drop();
  });

  it('refuses a bad count, naming the flag, before starting anything', async () => {
    for (const value of ['x', '0', '17']) {
      const { code, output } = await runLauncher(['--desktops', value], environment);
      expect(code).toBe(1);
      expect(output).toContain(`--desktops: expected a whole number from 1 to 16, got "${value}"`);
      expect(output).not.toContain('is ready');
    }
  });

  it('refuses several pairs without PostgreSQL and Redis, saying how to run them', async () => {
    const { code, output } = await runLauncher(['--desktops', '2'], {
      ...environment,
      DATABASE_URL: '',
      REDIS_URL: '',
    });
    expect(code).toBe(1);
    expect(output).toContain(
      'DATABASE_URL and REDIS_URL: not set, and --desktops 2 needs both DATABASE_URL and REDIS_URL',
    );
    expect(output).toContain('sudo apt-get install -y postgresql redis-server');
    const onlyRedis = await runLauncher(['--desktops=2'], { ...environment, REDIS_URL: '' });
    expect(onlyRedis.code).toBe(1);
    expect(onlyRedis.output).toMatch(/^REDIS_URL: not set, and --desktops 2 needs both/m);
  });

  it('runs two pairs as one fleet: agent 1 and the UI see both desktops, one token opens both, and a dead agent is started again alone', async () => {
    launcher = await startLauncher(['--desktops', '2'], environment);
    const started = launcher;
    const output = started.output();
    expect(output).toContain('Bytebot is ready with 2 desktops');
    const pairs = printedPairs(output);
    expect(pairs.map((pair) => pair.desktopId)).toEqual(['desktop-1', 'desktop-2']);
    const [first, second] = pairs as [PrintedPair, PrintedPair];
    // Pair 1 where the environment put it; pair 2 on another display and other ports.
    expect(first.display).toBe(environment.BYTEBOT_DISPLAY);
    expect(first.bytebotdUrl).toBe(`http://127.0.0.1:${environment.BYTEBOTD_PORT}`);
    expect(first.agentUrl).toBe(`http://127.0.0.1:${environment.AGENT_PORT}`);
    expect(second.display).not.toBe(first.display);
    expect(new Set(pairs.flatMap((pair) => [pair.bytebotdUrl, pair.agentUrl])).size).toBe(4);

    // One token for the fleet: the one generated into the data directory opens both desktops.
    const token = readFileSync(join(dataDirectory, 'token'), 'utf8').trim();
    const written = [];
    const fileName = `fleet-check-${randomUUID()}.txt`;
    for (const pair of pairs) {
      const desktop = new BytebotdClient({ baseUrl: pair.bytebotdUrl, token });
      written.push(await desktop.writeFile(fileName, pair.desktopId));
    }
    for (const result of written) rmSync(result.path, { force: true });
    // As root each desktop has an account and home of its own: one desktop's files are not another's.
    if (process.getuid?.() === 0) {
      expect(written.map((result) => result.path)).toEqual([
        expect.not.stringContaining('bytebot-2'),
        `/home/bytebot-2/${fileName}`,
      ]);
    }

    const agent = new AgentClient({ baseUrl: first.agentUrl, token });
    const bothIdle = async (): Promise<DesktopList['desktops'] | undefined> => {
      const { desktops } = await agent.desktops();
      const ours = desktops.filter((desktop) => desktop.id.startsWith('desktop-'));
      return ours.length === 2 && ours.every((desktop) => desktop.state === 'idle') ? ours : undefined;
    };
    const listed = await eventually('both desktops idle on agent 1', bothIdle, 20_000);
    expect(listed.map((desktop) => desktop.id).sort()).toEqual(['desktop-1', 'desktop-2']);

    // The UI talks to agent 1, and so lists pair 2's desktop too.
    const password = output.match(/The UI's password \(generated now, kept in \S+\): (\S+)/)?.[1];
    const uiUrl = `http://127.0.0.1:${environment.UI_PORT}`;
    const login = await fetch(`${uiUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: uiUrl },
      body: new URLSearchParams({ password: password ?? '' }).toString(),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const throughUi = (await (
      await fetch(`${uiUrl}/api/agent/desktops`, { headers: { cookie } })
    ).json()) as DesktopList;
    expect(throughUi.desktops.map((desktop) => desktop.id).sort()).toEqual(['desktop-1', 'desktop-2']);

    // Agent 2 dies: it alone is started again, its desktop and pair 1 left running.
    const running = descendants(started.child.pid as number);
    const pidOf = (script: string, desktopId: string | undefined) =>
      running.find(
        (pid) =>
          commandOf(pid).includes(script) &&
          (desktopId === undefined || environmentOf(pid, 'BYTEBOT_DESKTOP_ID') === desktopId),
      );
    const agentTwo = pidOf('agent.main.ts', 'desktop-2');
    const agentOne = pidOf('agent.main.ts', 'desktop-1');
    const desktops = running.filter((pid) => commandOf(pid).includes('standalone.main.ts'));
    expect([agentOne, agentTwo].every((pid) => pid !== undefined)).toBe(true);
    expect(desktops).toHaveLength(2);
    process.kill(agentTwo as number, 'SIGKILL');
    await eventually('agent 2 to be started again', async () =>
      started.output().includes('agent-2 is ready again') ? true : undefined,
    );
    expect(started.output()).toMatch(/agent-2 exited unexpectedly \(code null\); restarting it in 1 s/);
    expect(started.output()).not.toMatch(/(agent-1|desktop-\d) exited unexpectedly/);
    expect([agentOne as number, ...desktops].every(alive)).toBe(true);
    await eventually('both desktops idle again', bothIdle, 20_000);

    const pids = await interruptLauncher(started);
    launcher = undefined;
    expect(started.output()).toContain('stopped.');
    await eventually('every process to be gone', async () => (pids.some(alive) ? undefined : true), 20_000);
  }, 150_000);
});
