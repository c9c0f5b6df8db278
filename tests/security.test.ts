import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { AgentTask } from '@bytebot/protocol';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { type AgentProcess, eventually } from './support/agent-process.ts';
import { reply, type ScriptedAnthropicServer } from './support/scripted-anthropic-server.ts';
import type { TestDesktop } from './support/test-desktop.ts';
import { sessionCookie, startUiProcess, type UiProcess } from './support/ui-process.ts';

const apiKey = `sk-ant-api03-${randomBytes(24).toString('base64url')}`;

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolvePromise, rejectPromise) => {
    const socket = new WebSocket(url, ['binary']);
    socket.on('unexpected-response', (_request, response) => {
      resolvePromise(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => rejectPromise(new Error(`${url} was accepted`)));
    socket.on('error', () => undefined);
  });
}

describe('secure by default, across the whole stack', () => {
  let fixture: AgentFixture;
  let test: TestDesktop;
  let model: ScriptedAnthropicServer;
  let agent: AgentProcess;
  let ui: UiProcess;
  let cookie: string;

  beforeAll(async () => {
    fixture = await startAgentFixture({
      desktop: { session: 'none', vnc: true, environment: { BYTEBOT_LOG_LEVEL: 'debug' } },
      environment: { ANTHROPIC_API_KEY: apiKey, BYTEBOT_LOG_LEVEL: 'debug' },
    });
    ({ testDesktop: test, model, agent } = fixture);
    ui = await startUiProcess({
      agentUrl: agent.url,
      bytebotdUrl: test.bytebotd.url,
      token: test.bytebotd.token as string,
      environment: { BYTEBOT_LOG_LEVEL: 'debug' },
    });
    cookie = await sessionCookie(ui);
  });

  afterAll(async () => {
    await ui?.stop();
    await fixture?.stop();
  });

  it('answers 401 on every endpoint of bytebotd and the agent without the token or with a wrong one', async () => {
    model.play([reply.tool('set_task_status', { status: 'completed', description: 'done' })]);
    const task = await agent.client.createTask({ description: 'a task to point at' });
    await agent.client.waitForTask(task.id, ['COMPLETED'], { timeoutMs: 60_000 });
    const { body: document } = await agent.request<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/openapi.json',
    );
    const endpoints: Array<[string, string]> = [
      ['GET', `${agent.url}/openapi.json`],
      ['POST', `${test.bytebotd.url}/computer-use`],
      ['GET', `${test.bytebotd.url}/openapi.json`],
      ['POST', `${test.bytebotd.url}/mcp`],
      ['GET', `${test.bytebotd.url}/live-view`],
    ];
    for (const [path, methods] of Object.entries(document.paths)) {
      if (path === '/health') continue;
      for (const method of Object.keys(methods))
        endpoints.push([method.toUpperCase(), `${agent.url}${path.replace('{id}', task.id)}`]);
    }
    expect(endpoints.length).toBeGreaterThan(12);
    for (const [method, url] of endpoints) {
      for (const authorization of [
        undefined,
        'Bearer wrong',
        `Bearer ${(test.bytebotd.token as string).slice(0, -1)}`,
      ]) {
        const response = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect([method, url, response.status]).toEqual([method, url, 401]);
      }
    }
    // The websockets: the live view's proxy and the agent's events.
    for (const path of ['/websockify', '/websockify?token=wrong']) {
      expect(await upgradeStatus(`${test.bytebotd.url.replace('http', 'ws')}${path}`)).toBe(401);
    }
    const socket = io(agent.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: 'wrong' },
    });
    const refusal = await new Promise<string>((resolvePromise) =>
      socket.on('connect_error', (error) => resolvePromise(error.message)),
    );
    socket.close();
    expect(refusal).toMatch(/unauthorized/);
  });

  it('listens on 127.0.0.1 only, the VNC server included', () => {
    const pids = new Set(
      [test.bytebotd.pid, agent.pid, ui.pid, ...test.desktop.processes().map((child) => child.pid)].filter(
        (pid): pid is number => pid !== undefined,
      ),
    );
    const sockets = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => ({ local: line.trim().split(/\s+/)[3] ?? '', pid: Number(/pid=(\d+)/.exec(line)?.[1]) }))
      .filter((socket) => pids.has(socket.pid));
    // bytebotd, the agent, the UI and x11vnc each listen; Xvfb has no TCP port at all.
    expect(new Set(sockets.map((socket) => socket.pid)).size).toBeGreaterThanOrEqual(4);
    for (const socket of sockets)
      expect(socket.local).toMatch(/^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):\d+$/);
  });

  it('keeps the API key, the token and the password out of every log over a full task', async () => {
    model.play([
      reply.computer({ action: 'screenshot' }),
      reply.computer({ action: 'type', text: 'not a secret' }),
      reply.tool('set_task_status', { status: 'completed', description: 'done' }),
    ]);
    const created = await fetch(`${ui.url}/api/agent/tasks`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Look, type, finish' }),
    });
    const { id } = (await created.json()) as AgentTask;
    const finished = await eventually('the task to finish', async () => {
      const task = (await (
        await fetch(`${ui.url}/api/agent/tasks/${id}`, { headers: { cookie } })
      ).json()) as AgentTask;
      return ['COMPLETED', 'FAILED'].includes(task.status) ? task : undefined;
    });
    expect(finished.status).toBe('COMPLETED');
    // The key did reach the model API, so the run really used it.
    expect(
      String(model.requests.at(-1)?.headers.authorization ?? model.requests.at(-1)?.headers['x-api-key']),
    ).toContain(apiKey);
    const logs = [test.bytebotd.output(), agent.output(), ui.output()].join('\n');
    expect(logs).toMatch(/POST \/computer-use/);
    for (const secret of [apiKey, test.bytebotd.token as string, ui.password])
      expect(logs).not.toContain(secret);
    const stored = JSON.stringify((await agent.request('GET', `/tasks/${id}`)).body);
    expect(stored).not.toContain(apiKey);
  });

  it('survives 10,000 malformed requests over every endpoint: no crash, no 500, no stored task changed', async () => {
    const before = await agent.client.listTasks({ limit: 200 });
    const snapshot = async () =>
      JSON.stringify(
        await Promise.all(
          before.tasks.map(async (task) => (await agent.request('GET', `/tasks/${task.id}`)).body),
        ),
      );
    const was = await snapshot();
    const token = test.bytebotd.token as string;
    const garbage = () =>
      [
        randomUUID(),
        'not-an-id',
        '../../etc/passwd',
        '%00',
        "'; DROP TABLE tasks; --",
        'x'.repeat(300),
        '%E0%A4%A',
      ][randomInt(7)] as string;
    const paths = () =>
      [
        `${test.bytebotd.url}/computer-use`,
        `${test.bytebotd.url}/mcp`,
        `${test.bytebotd.url}/openapi.json`,
        `${test.bytebotd.url}/${garbage()}`,
        `${agent.url}/tasks`,
        `${agent.url}/tasks?page=${garbage()}&limit=${garbage()}&statuses=${garbage()}`,
        `${agent.url}/tasks/${garbage()}`,
        `${agent.url}/tasks/${garbage()}/messages`,
        `${agent.url}/tasks/${garbage()}/cancel`,
        `${agent.url}/tasks/${garbage()}/takeover`,
        `${agent.url}/tasks/${garbage()}/resume`,
        `${agent.url}/models`,
        `${agent.url}/${garbage()}`,
      ][randomInt(13)] as string;
    const bodies = () =>
      [
        '',
        '{',
        '[]',
        'null',
        '"text"',
        '{"description":',
        JSON.stringify({ description: 12 }),
        JSON.stringify({ description: '', priority: 'NOW' }),
        JSON.stringify({ action: 'click_mouse', coordinates: { x: -5, y: 'a' } }),
        JSON.stringify({ message: { nested: true } }),
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'nope' } }),
        JSON.stringify({ files: [{ name: '../x', base64: '!!' }], description: 'x' }),
        '['.repeat(10_000),
        randomBytes(randomInt(200)).toString('latin1'),
      ][randomInt(14)] as string;
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      while (sent < 10_000) {
        sent += 1;
        const method = ['GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH'][randomInt(6)] as string;
        const contentType = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', ''][
          randomInt(4)
        ] as string;
        const response = await fetch(paths(), {
          method,
          headers: {
            ...(randomInt(10) === 0 ? {} : { authorization: `Bearer ${token}` }),
            ...(contentType ? { 'content-type': contentType } : {}),
            accept: 'application/json, text/event-stream',
          },
          ...(method === 'GET' ? {} : { body: bodies() }),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const serverErrors = [...statuses].filter(([status]) => status >= 500);
    expect(serverErrors, JSON.stringify([...statuses])).toEqual([]);
    expect((await fetch(`${test.bytebotd.url}/health`)).status).toBe(200);
    expect((await fetch(`${agent.url}/health`)).status).toBe(200);
    expect(await snapshot()).toBe(was);
  });
});
