import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@bytebot/desktop';
import type { AgentTask, TaskPage } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/agent-process.ts';
import {
  reply,
  type ScriptedAnthropicServer,
  startScriptedAnthropicServer,
} from './support/scripted-anthropic-server.ts';

const root = new URL('../', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  output(): string;
}

function freeDisplay(): string {
  for (let number = 400 + Math.floor(Math.random() * 400); ; number += 1) {
    if (!existsSync(`/tmp/.X${number}-lock`) && !existsSync(`/tmp/.X11-unix/X${number}`)) return `:${number}`;
  }
}

/** Every process below pid, from the process table (the desktop's programs run in groups of their own). */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [child, childParent] of table) {
      if (childParent === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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

  function start(): Promise<Started> {
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    return new Promise((resolvePromise, rejectPromise) => {
      const timer = setTimeout(
        () => rejectPromise(new Error(`npm start was not ready in 180 s:\n${output}`)),
        180_000,
      );
      child.stdout?.on('data', () => {
        if (output.includes('Bytebot is ready')) {
          clearTimeout(timer);
          resolvePromise({ child, output: () => output });
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        rejectPromise(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
  }

  /** Ctrl-C as a terminal sends it: SIGINT to the whole foreground group. */
  async function interrupt(started: Started): Promise<number[]> {
    const pids = [started.child.pid as number, ...descendants(started.child.pid as number)];
    const exited = new Promise<number | null>((resolvePromise) => started.child.once('exit', resolvePromise));
    process.kill(-(started.child.pid as number), 'SIGINT');
    await exited;
    return pids;
  }

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
    const commandOf = (pid: number) => {
      try {
        return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
      } catch {
        return '';
      }
    };
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
