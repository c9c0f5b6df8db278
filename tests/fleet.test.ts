import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import type { AgentEventSocket } from '@bytebot/client';
import type { AgentMessage, AgentTask, Desktop, TaskStatus } from '@bytebot/protocol';
import { finishedTaskStatuses } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture, startScriptedModel } from './support/agent-fixture.ts';
import { eventually } from './support/agent-process.ts';
import { gate } from './support/gate.ts';
import {
  type RecordedRequest,
  reply,
  type ScriptedAnthropicServer,
  type ScriptStep,
} from './support/scripted-anthropic-server.ts';
import { createTestDatabase } from './support/test-database.ts';

/** The task's description: the first text of the conversation the model gets. */
function description(request: RecordedRequest): string {
  const first = request.body.messages[0]?.content[0] as { text?: string } | undefined;
  return first?.text ?? '';
}

const assistantTurns = (request: RecordedRequest) =>
  request.body.messages.filter((message) => message.role === 'assistant').length;

/** Whether the newest user turn tells the model that the task moved to another desktop. */
const toldItMoved = (request: RecordedRequest) =>
  JSON.stringify(request.body.messages.at(-1)?.content ?? []).includes('This task moved from desktop');

/**
 * A task's script that looks once, then holds its second answer until released (the test kills its desktop
 * or agent meanwhile); told it moved, it looks again, and then it is done.
 */
function doneOnceMoved(thinking: ReturnType<typeof gate>): ScriptStep {
  return (request) => {
    if (toldItMoved(request)) return reply.computer({ action: 'screenshot' })(request);
    if (assistantTurns(request) === 0) return reply.computer({ action: 'screenshot' })(request);
    if (
      request.body.messages.some((message) => JSON.stringify(message.content).includes('moved from desktop'))
    )
      return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
    return thinking.step(reply.computer({ action: 'screenshot' }))(request);
  };
}

const sleep = (milliseconds: number) =>
  new Promise((resolvePromise) => setTimeout(resolvePromise, milliseconds));

const textOf = (message: AgentMessage) => JSON.stringify(message.content);

/** The width and height a PNG says it has. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Every message each socket got, by task. */
function recordMessages(socket: AgentEventSocket): Map<string, AgentMessage[]> {
  const received = new Map<string, AgentMessage[]>();
  socket.on('new_message', (message) => {
    received.set(message.taskId, [...(received.get(message.taskId) ?? []), message]);
  });
  return received;
}

describe('a fleet: three desktops, each with its agent, sharing one PostgreSQL and one Redis', () => {
  const screens = [
    { width: 1280, height: 960 },
    { width: 1024, height: 768 },
    { width: 800, height: 600 },
  ];
  const desktopIds = screens.map((_, index) => `desktop-${index + 1}`);
  const pairs: AgentFixture[] = [];
  /** The agents not killed by a test. */
  const alive = new Set<number>();
  const sockets: AgentEventSocket[] = [];
  const received: Array<Map<string, AgentMessage[]>> = [];
  let model: ScriptedAnthropicServer;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  /** The width the model was told, by the description of the task it was asked about first. */
  const toldWidth = new Map<string, number[]>();
  /** Steps of the tests' own for the tasks whose description holds the key. */
  const special = new Map<string, ScriptStep>();

  /** Each task: a screenshot, then done; a little thinking time, so that one agent cannot take all. */
  const ordinary: ScriptStep = async (request) => {
    if (assistantTurns(request) === 0) {
      const text = description(request);
      toldWidth.set(text, [
        ...(toldWidth.get(text) ?? []),
        Number(request.body.tools?.[0]?.display_width_px),
      ]);
      await sleep(300);
      return reply.computer({ action: 'screenshot' })(request);
    }
    return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
  };

  const route: ScriptStep = (request) => {
    const text = description(request);
    for (const [key, step] of special) if (text.includes(key)) return step(request);
    return ordinary(request);
  };

  const pairOf = (desktopId: string | null) => {
    const index = desktopIds.indexOf(desktopId ?? '');
    expect(index).toBeGreaterThanOrEqual(0);
    return index;
  };
  const anyAlive = () => pairs[[...alive][0] as number] as AgentFixture;
  const desktopsNow = async () => (await anyAlive().client.desktops()).desktops;
  const desktopNamed = async (id: string): Promise<Desktop | undefined> =>
    (await desktopsNow()).find((desktop) => desktop.id === id);
  const waitForDesktop = (
    id: string,
    what: string,
    check: (desktop: Desktop) => boolean,
    timeoutMs = 15_000,
  ) =>
    eventually(
      `desktop ${id} ${what}`,
      async () => {
        const desktop = await desktopNamed(id);
        return desktop && check(desktop) ? desktop : undefined;
      },
      timeoutMs,
    );
  const waitForStatus = (id: string, statuses: Iterable<TaskStatus>, timeoutMs = 60_000) =>
    anyAlive().client.waitForTask(id, statuses, { timeoutMs, intervalMs: 100 });
  /** Joins the task's room on every live agent's socket. */
  const follow = async (taskId: string) => {
    for (const index of alive) await sockets[index]?.emitWithAck('join_task', taskId);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    model = await startScriptedModel('anthropic');
    model.play(Array.from({ length: 1000 }, () => route));
    const queue = `bytebot-test-${randomUUID()}`;
    const started = await Promise.all(
      screens.map((screen, index) =>
        startAgentFixture({
          desktop: { session: 'none', screen },
          scriptedModel: model,
          // A model of the beta tool, which is told its screen's size: that tells which desktop ran a task.
          model: 'claude-sonnet-4-6',
          environment: {
            DATABASE_URL: database.url,
            REDIS_URL: 'redis://127.0.0.1:6379',
            BYTEBOT_QUEUE_NAME: queue,
            BYTEBOT_DESKTOP_ID: desktopIds[index] as string,
            BYTEBOT_AGENT_ID: `agent-${index + 1}`,
            BYTEBOT_HEARTBEAT_MS: '500',
            BYTEBOT_DESKTOP_DOWN_AFTER_MS: '3000',
            BYTEBOT_QUEUE_LOCK_MS: '3000',
            BYTEBOT_QUEUE_STALLED_CHECK_MS: '1000',
          },
        }),
      ),
    );
    for (const [index, pair] of started.entries()) {
      pairs.push(pair);
      alive.add(index);
      const socket = await pair.client.events();
      sockets.push(socket);
      received.push(recordMessages(socket));
    }
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const pair of pairs) await pair.stop();
    await model?.close();
    await database?.drop();
  });

  it('lists its three desktops on every agent, each idle with its screen', async () => {
    for (const pair of pairs) {
      const { desktops } = await eventually('three idle desktops', async () => {
        const list = await pair.client.desktops();
        return list.desktops.every((desktop) => desktop.state === 'idle') && list.desktops.length === 3
          ? list
          : undefined;
      });
      expect(desktops.map(({ id, agentId, screen, taskId }) => ({ id, agentId, screen, taskId }))).toEqual(
        desktopIds.map((id, index) => ({
          id,
          agentId: `agent-${index + 1}`,
          screen: screens[index],
          taskId: null,
        })),
      );
    }
    // Like every route, the list needs the token.
    const anonymous = await fetch(`${pairs[0]?.agent.url}/desktops`);
    expect(anonymous.status).toBe(401);
  });

  it('runs twelve tasks, each once, spread over the desktops; any agent shows them live and serves their screenshots', async () => {
    const descriptions = Array.from({ length: 12 }, (_, index) => `shared task ${index} ${randomUUID()}`);
    const ids: string[] = [];
    for (const [index, text] of descriptions.entries()) {
      // Created through any agent: the queue is one.
      const created = await (pairs[index % 3] as AgentFixture).client.createTask({ description: text });
      ids.push(created.id);
      await follow(created.id);
    }
    const tasks: AgentTask[] = [];
    for (const id of ids) tasks.push(await waitForStatus(id, finishedTaskStatuses));
    expect(tasks.map((task) => task.status)).toEqual(ids.map(() => 'COMPLETED'));
    // Each ran once: asked about its first step once, and one opening, one screenshot step, one final step.
    for (const text of descriptions) expect(toldWidth.get(text)).toHaveLength(1);
    for (const id of ids) expect(await (pairs[1] as AgentFixture).client.messages(id)).toHaveLength(5);
    // Each recorded the desktop it ran on, and the model was told that desktop's screen.
    const widthsByDesktop = new Map<string, Set<number>>();
    for (const task of tasks) {
      expect(desktopIds).toContain(task.desktopId);
      const widths = widthsByDesktop.get(task.desktopId as string) ?? new Set<number>();
      for (const width of toldWidth.get(task.description) ?? []) widths.add(width);
      widthsByDesktop.set(task.desktopId as string, widths);
    }
    expect(widthsByDesktop.size).toBeGreaterThanOrEqual(2);
    for (const widths of widthsByDesktop.values()) expect(widths.size).toBe(1);
    const allWidths = [...widthsByDesktop.values()].flatMap((widths) => [...widths]);
    expect(new Set(allWidths).size).toBe(allWidths.length);

    // Agent 1's socket got the messages of every task as they were stored, those other agents ran included
    // (its room was joined a moment after the task was made: the opening message may come before).
    const elsewhere = tasks.filter((task) => task.desktopId !== desktopIds[0]);
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const task of tasks) {
      const stored = await (pairs[0] as AgentFixture).client.messages(task.id);
      const seen = (received[0]?.get(task.id) ?? []).map((message) => message.id);
      expect(stored.slice(1).map((message) => message.id)).toEqual(seen.filter((id) => id !== stored[0]?.id));
    }
    // Their screenshots load through agent 1, at the screen size of the desktop that took them.
    for (const task of elsewhere) {
      const stored = await (pairs[0] as AgentFixture).client.messages(task.id);
      const file = /"id":"([0-9a-f]{64}\.png)"/.exec(stored.map(textOf).join(''))?.[1];
      expect(file).toBeDefined();
      const { data, mediaType } = await (pairs[0] as AgentFixture).client.screenshot(task.id, file as string);
      expect(mediaType).toBe('image/png');
      expect(pngSize(data)).toEqual(screens[pairOf(task.desktopId)]);
    }
    for (const id of desktopIds)
      await waitForDesktop(id, 'idle again', (desktop) => desktop.state === 'idle');
  });

  it('stops a task at once when it is cancelled through another agent than the one running it', async () => {
    const thinking = gate();
    const key = `cancel ${randomUUID()}`;
    // The model never answers until the end of the test: only an abort frees the loop that waits for it.
    special.set(key, thinking.step(reply.computer({ action: 'screenshot' })));
    try {
      const created = await (pairs[0] as AgentFixture).client.createTask({ description: key });
      await thinking.reached;
      const running = await waitForStatus(created.id, ['RUNNING']);
      const runner = pairOf(running.desktopId);
      const desktopId = desktopIds[runner] as string;
      await waitForDesktop(desktopId, 'busy with it', (desktop) => desktop.taskId === created.id);
      expect((await desktopNamed(desktopId))?.state).toBe('busy');
      const other = pairs[(runner + 1) % 3] as AgentFixture;
      expect((await other.client.cancel(created.id)).status).toBe('CANCELLED');
      // Its loop stopped while the model still had not answered: the desktop is free.
      await waitForDesktop(desktopId, 'idle', (desktop) => desktop.state === 'idle', 5_000);
      const before = await other.client.messages(created.id);
      thinking.release();
      await sleep(1000);
      expect(await other.client.messages(created.id)).toEqual(before);
    } finally {
      thinking.release();
      special.delete(key);
    }
  });

  it('interrupts the action in flight when a person takes over through another agent, and goes on when handed back through a third', async () => {
    const key = `take over ${randomUUID()}`;
    let served = () => {};
    const waiting = new Promise<void>((resolvePromise) => {
      served = resolvePromise;
    });
    special.set(key, (request) => {
      if (assistantTurns(request) === 0) {
        served();
        return reply.computer({ action: 'wait', duration: 30 })(request);
      }
      if (assistantTurns(request) === 1) return reply.computer({ action: 'screenshot' })(request);
      return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
    });
    try {
      const created = await (pairs[0] as AgentFixture).client.createTask({ description: key });
      await waiting;
      await sleep(500);
      const runner = pairOf((await (pairs[0] as AgentFixture).client.getTask(created.id)).desktopId);
      const desktopId = desktopIds[runner] as string;
      const other = pairs[(runner + 1) % 3] as AgentFixture;
      const third = pairs[(runner + 2) % 3] as AgentFixture;
      expect((await other.client.takeOver(created.id)).control).toBe('USER');
      // The 30 s wait stopped within seconds, and the model will be told why.
      const stopped = await eventually(
        'the interrupted wait',
        async () => {
          const messages = await other.client.messages(created.id);
          return messages.find((message) => /stopped part way/.test(textOf(message)));
        },
        10_000,
      );
      expect(textOf(stopped)).toMatch(/a person took control/);
      await waitForDesktop(desktopId, 'taken over', (desktop) => desktop.state === 'taken-over', 5_000);
      expect((await third.client.resume(created.id)).control).toBe('ASSISTANT');
      const done = await waitForStatus(created.id, finishedTaskStatuses, 30_000);
      expect(done.status).toBe('COMPLETED');
      // The screenshot after the hand-back ran: the agent running the task heard that it was handed back.
      const messages = await third.client.messages(created.id);
      const results = messages.filter((message) => message.role === 'user').map(textOf);
      expect(results.some((text) => text.includes('"type":"image"'))).toBe(true);
    } finally {
      special.delete(key);
    }
  });

  it('moves a task to another desktop when the agent running it is killed, losing no message', async () => {
    const thinking = gate();
    const key = `killed agent ${randomUUID()}`;
    // The second step is asked of the agent that gets killed; after the move, the task is done.
    special.set(key, doneOnceMoved(thinking));
    try {
      const created = await (pairs[0] as AgentFixture).client.createTask({ description: key });
      await follow(created.id);
      await thinking.reached;
      const running = await (pairs[0] as AgentFixture).client.getTask(created.id);
      const victim = pairOf(running.desktopId);
      const lostDesktop = desktopIds[victim] as string;
      await (pairs[victim] as AgentFixture).agent.stop('SIGKILL');
      alive.delete(victim);
      thinking.release();

      const done = await waitForStatus(created.id, finishedTaskStatuses, 60_000);
      expect(done.status).toBe('COMPLETED');
      expect(done.desktopId).not.toBe(lostDesktop);
      expect(desktopIds).toContain(done.desktopId);
      const messages = await anyAlive().client.messages(created.id);
      const moved = messages.find((message) => textOf(message).includes('This task moved from desktop'));
      expect(moved && textOf(moved)).toContain(
        `moved from desktop ${lostDesktop}, which stopped answering, to desktop ${done.desktopId}`,
      );
      // The only task running meanwhile: its messages follow each other without a gap.
      const sequences = messages.map((message) => message.sequence);
      expect(sequences).toEqual(sequences.map((_, index) => (sequences[0] as number) + index));
      // A client of a surviving agent saw every message stored after it joined, the move included.
      const survivor = [...alive][0] as number;
      const seen = (received[survivor]?.get(created.id) ?? []).map((message) => message.id);
      expect(messages.slice(1).map((message) => message.id)).toEqual(
        seen.filter((id) => id !== messages[0]?.id),
      );
      expect(seen).toContain(moved?.id);
      // Nothing is left running or waiting, and the dead agent's desktop shows down.
      const unfinished = await anyAlive().client.listTasks({ statuses: ['RUNNING', 'PENDING'] });
      expect(unfinished.total).toBe(0);
      await waitForDesktop(lostDesktop, 'down', (desktop) => desktop.state === 'down', 10_000);
    } finally {
      thinking.release();
      special.delete(key);
    }
  });

  it("moves a task to another desktop when its desktop's X server dies, and takes tasks again once it is back", async () => {
    expect(alive.size).toBeGreaterThanOrEqual(2);
    const thinking = gate();
    const key = `lost display ${randomUUID()}`;
    special.set(key, doneOnceMoved(thinking));
    let heldLock: string | undefined;
    let lockHolder: ChildProcess | undefined;
    try {
      const created = await anyAlive().client.createTask({ description: key });
      await thinking.reached;
      const running = await anyAlive().client.getTask(created.id);
      const victim = pairOf(running.desktopId);
      const lostDesktop = desktopIds[victim] as string;
      const pair = pairs[victim] as AgentFixture;
      // The X server dies and, while this test holds its display's lock, cannot come back.
      const xvfb = pair.desktop.processes().find((process) => process.name === 'Xvfb')?.pid as number;
      process.kill(xvfb, 'SIGKILL');
      await eventually('Xvfb gone', async () => {
        try {
          process.kill(xvfb, 0);
          return undefined;
        } catch {
          return true;
        }
      });
      // The lock names a live process other than this one, as a running X server's would.
      lockHolder = spawn('sleep', ['600'], { stdio: 'ignore' });
      heldLock = `/tmp/.X${pair.desktop.display.slice(1)}-lock`;
      writeFileSync(heldLock, `${String(lockHolder.pid).padStart(10)}\n`);
      thinking.release();

      const done = await waitForStatus(created.id, finishedTaskStatuses, 60_000);
      expect(done.status).toBe('COMPLETED');
      expect(done.desktopId).not.toBe(lostDesktop);
      const messages = await anyAlive().client.messages(created.id);
      expect(messages.map(textOf).join('\n')).toContain(
        `moved from desktop ${lostDesktop}, which stopped answering, to desktop ${done.desktopId}`,
      );
      expect((await anyAlive().client.listTasks({ statuses: ['RUNNING', 'PENDING'] })).total).toBe(0);
      await waitForDesktop(lostDesktop, 'down', (desktop) => desktop.state === 'down', 10_000);

      // The display comes back: the desktop is idle again, and its agent takes tasks again.
      rmSync(heldLock, { force: true });
      heldLock = undefined;
      lockHolder.kill();
      await waitForDesktop(lostDesktop, 'idle again', (desktop) => desktop.state === 'idle', 30_000);
      const arrived: string[] = [];
      const barrier = `together ${randomUUID()}`;
      special.set(barrier, async (request) => {
        if (assistantTurns(request) > 0)
          return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
        arrived.push(description(request));
        // Both first steps are asked before either is answered: two desktops run them at once.
        await eventually('both tasks running', async () => (arrived.length >= 2 ? true : undefined), 20_000);
        return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
      });
      const together = [];
      for (const index of [1, 2]) {
        together.push((await anyAlive().client.createTask({ description: `${barrier} ${index}` })).id);
      }
      const finished = [];
      for (const id of together) finished.push(await waitForStatus(id, finishedTaskStatuses, 30_000));
      expect(finished.map((task) => task.status)).toEqual(['COMPLETED', 'COMPLETED']);
      expect(new Set(finished.map((task) => task.desktopId)).size).toBe(2);
      expect(finished.map((task) => task.desktopId)).toContain(lostDesktop);
    } finally {
      if (heldLock) rmSync(heldLock, { force: true });
      lockHolder?.kill();
      thinking.release();
      special.delete(key);
    }
  });

  it('hands the task of an agent that is stopped (SIGTERM) to another desktop at once', async () => {
    expect(alive.size).toBeGreaterThanOrEqual(2);
    const thinking = gate();
    const key = `stopped agent ${randomUUID()}`;
    special.set(key, (request) => {
      if (toldItMoved(request)) return reply.computer({ action: 'screenshot' })(request);
      if (
        request.body.messages.some((message) =>
          JSON.stringify(message.content).includes('moved from desktop'),
        )
      )
        return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
      return thinking.step(reply.computer({ action: 'screenshot' }))(request);
    });
    try {
      const created = await anyAlive().client.createTask({ description: key });
      await thinking.reached;
      const victim = pairOf((await anyAlive().client.getTask(created.id)).desktopId);
      const stoppedDesktop = desktopIds[victim] as string;
      alive.delete(victim);
      await (pairs[victim] as AgentFixture).agent.stop('SIGTERM');
      thinking.release();
      // Handed over at the stop, not after BullMQ's lock expired: the desktop left shows down at once.
      expect((await desktopNamed(stoppedDesktop))?.state).toBe('down');
      const done = await waitForStatus(created.id, finishedTaskStatuses, 30_000);
      expect(done.status).toBe('COMPLETED');
      expect([...alive].map((index) => desktopIds[index])).toContain(done.desktopId);
      const messages = await anyAlive().client.messages(created.id);
      expect(messages.map(textOf).join('\n')).toContain(
        `moved from desktop ${stoppedDesktop}, which stopped, to desktop ${done.desktopId}`,
      );
    } finally {
      thinking.release();
      special.delete(key);
    }
  });
});
