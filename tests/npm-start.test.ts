import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@bytebot/desktop';
import type { AgentTask, TaskPage } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/agent-process.ts';
import {
  alive,
  commandOf,
  descendants,
  freeDisplay,
  interruptLauncher,
  startLauncher,
} from './support/npm-start-process.ts';
import {
  reply,
  type ScriptedAnthropicServer,
  startScriptedAnthropicServer,
} from './support/scripted-anthropic-server.ts';

describe('npm start: the whole of Bytebot with one command', () => {
  let model: ScriptedAnthropicServer;
  const dataDirectory = mkdtempSync(join(tmpdir(), 'npm-start-'));
  let environment: Record<string, string>;
  let uiUrl: string;

  beforeAll(async () => {
    model = await startScriptedAnthropicServer();
    const [bytebotd, agent, ui, vnc] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    uiUrl = `http://127.0.0.1:${ui}`;
    environment = {
      BYTEBOT_DATA_DIR: dataDirectory,
      BYTEBOT_DISPLAY: freeDisplay(),
      BYTEBOTD_PORT: String(bytebotd),
      AGENT_PORT: String(agent),
      UI_PORT: String(ui),
      BYTEBOT_VNC_PORT: String(vnc),
      BYTEBOT_TOKEN: '',
      DATABASE_URL: '',
      REDIS_URL: '',
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      ANTHROPIC_BASE_URL: model.url,
    };
  });

  afterAll(async () => {
    await model?.close();
  });

  const start = () => startLauncher([], environment);
  const interrupt = interruptLauncher;

  it('starts, runs a task through the UI, stops on Ctrl-C leaving nothing, and keeps the task', async () => {
    const first = await start();
    const health = async (url: string) => (await fetch(url)).status;
    const token = first.output().match(/the API token is in (\S+)/)?.[1];
    expect(token).toBe(join(dataDirectory, 'token'));
    expect(await health(`${uiUrl}/health`)).toBe(200);
    expect(await health(`http://127.0.0.1:${environment.AGENT_PORT}/health`)).toBe(200);
    expect(await health(`http://127.0.0.1:${environment.BYTEBOTD_PORT}/health`)).toBe(200);

    // The UI's password: generated at this first start, printed once.
    const password = first.output().match(/The UI's password \(generated now, kept in \S+\): (\S+)/)?.[1];
    expect(password).toBeDefined();
    const login = await fetch(`${uiUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: password as string }).toString(),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const headers = { cookie };
    expect((await fetch(`${uiUrl}/api/agent/tasks`)).status).toBe(401);

    model.play([
      reply.computer({ action: 'screenshot' }),
      reply.tool('set_task_status', { status: 'completed', description: 'Looked at the screen.' }),
    ]);
    const created = await fetch(`${uiUrl}/api/agent/tasks`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Look at the screen once' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as AgentTask;
    const done = await eventually('the task to finish', async () => {
      const task = (await (await fetch(`${uiUrl}/api/agent/tasks/${id}`, { headers })).json()) as AgentTask;
      return ['COMPLETED', 'FAILED'].includes(task.status) ? task : undefined;
    });
    expect(done.status).toBe('COMPLETED');

    // The agent crashes: it is started again, and the desktop and the UI stay up meanwhile.
    const running = descendants(first.child.pid as number);
    const agentPid = running.find((pid) => commandOf(pid).includes('agent.main.ts'));
    const desktopPid = running.find((pid) => commandOf(pid).includes('standalone.main.ts'));
    expect([agentPid, desktopPid].every((pid) => pid !== undefined)).toBe(true);
    process.kill(agentPid as number, 'SIGKILL');
    await eventually('the agent to be started again', async () =>
      first.output().includes('agent is ready again') ? true : undefined,
    );
    expect(first.output()).toMatch(/agent exited unexpectedly \(code null\); restarting it in 1 s/);
    expect(alive(desktopPid as number)).toBe(true);
    expect(await health(`http://127.0.0.1:${environment.AGENT_PORT}/health`)).toBe(200);
    // The task is still there, read through the UI.
    expect((await fetch(`${uiUrl}/api/agent/tasks/${id}`, { headers })).status).toBe(200);

    const pids = await interrupt(first);
    expect(pids.length).toBeGreaterThan(6);
    expect(first.output()).toContain('stopped.');
    await eventually('every process to be gone', async () => (pids.some(alive) ? undefined : true), 20_000);

    // Started again on the same data: the task is still there.
    const second = await start();
    try {
      expect(second.output()).not.toContain(password as string);
      const { tasks } = (await (await fetch(`${uiUrl}/api/agent/tasks`, { headers })).json()) as TaskPage;
      expect(tasks.find((task) => task.id === id)?.status).toBe('COMPLETED');
    } finally {
      const again = await interrupt(second);
      await eventually(
        'every process to be gone',
        async () => (again.some(alive) ? undefined : true),
        20_000,
      );
    }
  });
});
