import type { AgentMessage, AgentTask, ErrorBody, TaskStatus } from '@bytebot/protocol';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture, startScriptedModel } from './support/agent-fixture.ts';
import { type AgentProcess, eventually } from './support/agent-process.ts';
import { gate } from './support/gate.ts';
import {
  type RecordedRequest,
  reply,
  type ScriptedAnthropicServer,
  type ScriptStep,
} from './support/scripted-anthropic-server.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

/** Waits for one of the statuses, a minute at most. */
const waitForStatusOf = (running: AgentProcess, id: string, statuses: TaskStatus[]) =>
  running.client.waitForTask(id, statuses, { timeoutMs: 60_000, intervalMs: 100 });

function lastUserText(request: RecordedRequest | undefined): string {
  return JSON.stringify(request?.body.messages.at(-1)?.content ?? []);
}

describe('controlling a running task: cancel, take over, help, errors, crashes', () => {
  let test: TestDesktop;
  let model: ScriptedAnthropicServer;
  let fixture: AgentFixture | undefined;

  /** An agent of the test's own (a data folder of its own) on the shared desktop and model. */
  const start = async (environment: Record<string, string> = {}) => {
    fixture = await startAgentFixture({ desktop: test, scriptedModel: model, environment });
    return fixture.agent;
  };

  const createTask = async (running: AgentProcess, description = 'Do something on the desktop') => {
    const { status, body } = await running.request<AgentTask>('POST', '/tasks', { description });
    expect(status).toBe(201);
    return body.id;
  };

  const waitForStatus = waitForStatusOf;

  beforeAll(async () => {
    test = await startTestDesktop({ session: 'none' });
    model = await startScriptedModel('anthropic');
  });

  afterEach(async () => {
    await fixture?.stop();
    fixture = undefined;
  });

  afterAll(async () => {
    await model?.close();
    await test?.stop();
  });

  it('stops the loop before its next action when cancelled', async () => {
    const thinking = gate();
    await test.bytebotd.client.moveMouse({ x: 10, y: 10 });
    model.play([
      reply.computer({ action: 'screenshot' }),
      thinking.step(reply.computer({ action: 'mouse_move', coordinate: [700, 500] })),
    ]);
    const running = await start();
    const id = await createTask(running);
    await thinking.reached;
    const cancelled = await running.request<AgentTask>('POST', `/tasks/${id}/cancel`);
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'CANCELLED']);
    thinking.release();
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 1000));
    // The move the model chose after the cancel never reached the desktop, and nothing more was asked.
    expect(await test.bytebotd.client.cursorPosition()).toEqual({ x: 10, y: 10 });
    expect((await running.request<AgentTask>('GET', `/tasks/${id}`)).body.status).toBe('CANCELLED');
    const again = await running.request<ErrorBody>('POST', `/tasks/${id}/cancel`);
    expect([again.status, again.body.error.code]).toEqual([409, 'CONFLICT']);
  });

  it('pauses while a person has control and goes on when handed back', async () => {
    const thinking = gate();
    model.play([
      reply.computer({ action: 'screenshot' }),
      thinking.step(reply.computer({ action: 'mouse_move', coordinate: [100, 100] })),
      reply.computer({ action: 'mouse_move', coordinate: [321, 234] }),
      reply.tool('set_task_status', { status: 'completed', description: 'done' }),
    ]);
    const running = await start();
    const id = await createTask(running);
    await thinking.reached;
    expect(await running.client.takeOver(id)).toMatchObject({ status: 'RUNNING', control: 'USER' });
    thinking.release();
    // The person drives meanwhile; the model's move must not land while they do.
    await test.bytebotd.client.moveMouse({ x: 50, y: 60 });
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 1500));
    expect(await test.bytebotd.client.cursorPosition()).toEqual({ x: 50, y: 60 });
    const requestsWhilePaused = model.requests.length;

    expect((await running.client.resume(id)).control).toBe('ASSISTANT');
    expect(await waitForStatus(running, id, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED' });
    // The default model takes the 1280x960 screen as it is, so its point lands where it said.
    expect(await test.bytebotd.client.cursorPosition()).toEqual({ x: 321, y: 234 });
    // The model was told its pending action was skipped because a person had taken over.
    expect(lastUserText(model.requests[requestsWhilePaused])).toMatch(/handed it back/);
  });

  it('waits for help when the model asks, and a message resumes it', async () => {
    model.play([
      reply.tool('set_task_status', { status: 'needs_help', description: 'Which folder should I use?' }),
      reply.tool('set_task_status', { status: 'completed', description: 'Used the Documents folder' }),
    ]);
    const running = await start();
    const id = await createTask(running);
    const waiting = await waitForStatus(running, id, ['NEEDS_HELP', 'FAILED', 'COMPLETED']);
    expect(waiting).toMatchObject({ status: 'NEEDS_HELP', error: 'Which folder should I use?' });
    const sent = await running.request<AgentMessage>('POST', `/tasks/${id}/messages`, {
      message: 'Use the Documents folder',
    });
    expect(sent.status).toBe(201);
    expect(await waitForStatus(running, id, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED' });
    expect(lastUserText(model.requests.at(-1))).toContain('Use the Documents folder');
  });

  it('retries an overloaded model and fails clearly on a rejected key', async () => {
    const before = model.requests.length;
    model.play([
      reply.error(529, 'overloaded_error', 'Overloaded'),
      reply.error(529, 'overloaded_error', 'Overloaded'),
      reply.tool('set_task_status', { status: 'completed', description: 'done after retries' }),
      reply.error(401, 'authentication_error', 'invalid x-api-key'),
    ]);
    const running = await start();
    const retried = await createTask(running);
    expect(await waitForStatus(running, retried, ['COMPLETED', 'FAILED'])).toMatchObject({
      status: 'COMPLETED',
    });
    expect(model.requests.length - before).toBe(3);

    const rejected = await createTask(running);
    const failed = await waitForStatus(running, rejected, ['COMPLETED', 'FAILED']);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/401.*ANTHROPIC_API_KEY/);
  });

  it('fails a task at once, naming the variable, when no model is configured', async () => {
    const before = model.requests.length;
    const running = await start({ ANTHROPIC_API_KEY: '' });
    const id = await createTask(running);
    const failed = await waitForStatus(running, id, ['FAILED', 'COMPLETED']);
    expect(failed.error).toMatch(/set ANTHROPIC_API_KEY/);
    expect(model.requests.length).toBe(before);
    expect(await running.client.models()).toEqual([]);
  });

  it('resumes a task after the agent is killed mid-run, losing no message', async () => {
    const thinking = gate();
    model.play([reply.computer({ action: 'screenshot' }), thinking.step(reply.text('never delivered'))]);
    const first = await start();
    const id = await createTask(first);
    await thinking.reached;
    const beforeCrash = await first.client.messages(id);
    expect(beforeCrash.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    await first.stop('SIGKILL');
    thinking.release();

    model.play([
      reply.tool('set_task_status', { status: 'completed', description: 'finished after the restart' }),
    ]);
    // The same data folder: the task it finds there unfinished is the one to resume.
    const second = await (fixture as AgentFixture).startAgent();
    expect(await waitForStatus(second, id, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED' });
    const after = await second.client.messages(id);
    expect(after.slice(0, 3).map((message) => message.id)).toEqual(beforeCrash.map((message) => message.id));
    expect(after.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
  });
});

describe('the agent API: validation, listing, deletion and live events', () => {
  let fixture: AgentFixture<'none'>;
  let agent: AgentProcess;

  beforeAll(async () => {
    // No model configured: every task fails at once, which is all these checks need.
    fixture = await startAgentFixture({ provider: 'none', desktop: { session: 'none' } });
    agent = fixture.agent;
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('refuses bad input with 400 naming the field, and unknown tasks with 404', async () => {
    const cases: Array<[string, string, unknown, number, string, RegExp]> = [
      ['POST', '/tasks', {}, 400, 'INVALID_REQUEST', /^description: required/],
      [
        'POST',
        '/tasks',
        { description: 'x', priority: 'SOON' },
        400,
        'INVALID_REQUEST',
        /^priority: expected "LOW"/,
      ],
      [
        'POST',
        '/tasks',
        { description: 'x', files: [{ name: 'a', base64: '%%' }] },
        400,
        'INVALID_REQUEST',
        /^files\.0\.base64/,
      ],
      ['GET', '/tasks?limit=0', undefined, 400, 'INVALID_REQUEST', /^limit: expected a number >= 1/],
      ['GET', '/tasks?statuses=DONE', undefined, 400, 'INVALID_REQUEST', /^statuses\.0/],
      ['GET', '/tasks/not-a-uuid', undefined, 400, 'INVALID_REQUEST', /^id: expected a uuid/],
      ['GET', '/tasks/7f9c1a52-0000-4000-8000-000000000000', undefined, 404, 'NOT_FOUND', /^id: no task/],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const response = await agent.request<ErrorBody>(method, path, body);
      expect([path, response.status, response.body.error.code]).toEqual([path, status, code]);
      expect(response.body.error.message).toMatch(message);
    }
    const broken = await fetch(`${agent.url}/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
      body: '{"description":',
    });
    expect([broken.status, ((await broken.json()) as ErrorBody).error.code]).toEqual([400, 'INVALID_JSON']);
    const anonymous = await fetch(`${agent.url}/tasks`);
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${agent.url}/health`)).status).toBe(200);
  });

  it('lists with paging and status filters, and deletes a task with its messages', async () => {
    const ids: string[] = [];
    for (const description of ['first', 'second', 'third']) {
      ids.push((await agent.client.createTask({ description, priority: 'LOW' })).id);
    }
    for (const id of ids) await waitForStatusOf(agent, id, ['FAILED']);
    const page = await agent.client.listTasks({ page: 1, limit: 2, statuses: ['FAILED', 'COMPLETED'] });
    expect(page.tasks).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.totalPages).toBe(Math.ceil(page.total / 2));
    expect((await agent.client.listTasks({ status: 'RUNNING' })).tasks).toEqual([]);

    const removed = await agent.request('DELETE', `/tasks/${ids[0]}`);
    expect(removed.status).toBe(204);
    expect((await agent.request('GET', `/tasks/${ids[0]}`)).status).toBe(404);
    expect((await agent.request('GET', `/tasks/${ids[1]}`)).status).toBe(200);
  });

  it('sends live events to a socket.io client with the token, and refuses one without', async () => {
    const refused = io(agent.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: 'wrong' },
    });
    const refusal = await new Promise<string>((resolvePromise) =>
      refused.on('connect_error', (error) => resolvePromise(error.message)),
    );
    expect(refusal).toMatch(/unauthorized/);
    refused.close();

    const socket = await agent.client.events();
    const created = new Promise<AgentTask>((resolvePromise) => socket.once('task_created', resolvePromise));
    const updates: AgentTask[] = [];
    socket.on('task_updated', (update) => updates.push(update));
    const task = await agent.client.createTask({ description: 'watched live' });
    expect((await created).id).toBe(task.id);
    expect(await socket.emitWithAck('join_task', task.id)).toEqual({ joined: task.id });
    const failed = await eventually('the FAILED update', async () =>
      updates.find((update) => update.id === task.id && update.status === 'FAILED'),
    );
    expect(failed.error).toMatch(/ANTHROPIC_API_KEY/);
    const message = new Promise<AgentMessage>((resolvePromise) => socket.once('new_message', resolvePromise));
    await agent.client.addMessage(task.id, 'hello');
    expect((await message).taskId).toBe(task.id);
    const deleted = new Promise<string>((resolvePromise) => socket.once('task_deleted', resolvePromise));
    await agent.client.deleteTask(task.id);
    // The id itself, as the original agent sends it.
    expect(await deleted).toBe(task.id);
    socket.close();
  });
});

describe('context and cost: old screenshots dropped, long histories summarized', () => {
  // Its desktop and agent start inside the test, not in a hook: the test's time covers them.
  it('sends only the newest screenshots and replaces older steps by a summary past the budget', async () => {
    const fixture = await startAgentFixture({
      desktop: { session: 'none' },
      environment: { BYTEBOT_KEEP_SCREENSHOTS: '1', BYTEBOT_SUMMARIZE_ABOVE_TOKENS: '5000' },
    });
    const { agent, model } = fixture;
    const large: ScriptStep = async (request) => ({
      ...(await reply.computer({ action: 'screenshot' })(request)),
      usage: { input: 6000 },
    });
    model.play([
      reply.computer({ action: 'screenshot' }),
      reply.computer({ action: 'screenshot' }),
      large,
      reply.text('SUMMARY-TEXT: took three screenshots of an empty screen.'),
      reply.tool('set_task_status', { status: 'completed', description: 'done' }),
    ]);
    try {
      const task = await agent.client.createTask({ description: 'Look at the screen' });
      expect(await waitForStatusOf(agent, task.id, ['COMPLETED', 'FAILED'])).toMatchObject({
        status: 'COMPLETED',
      });
      const [, , third, summary, afterSummary] = model.requests.map((request) =>
        JSON.stringify(request.body.messages),
      );
      // Two screenshots were taken before the third request; only the newest is sent.
      expect(third?.match(/"type":"image"/g)).toHaveLength(1);
      expect(third).toContain('omitted to save context');
      expect(summary).toContain('Summarize the progress');
      expect(afterSummary).toContain('SUMMARY-TEXT');
      expect(model.requests[4]?.body.messages).toHaveLength(3);
      // The stored conversation keeps every message; only what is sent to the model is shortened.
      expect(await agent.client.messages(task.id)).toHaveLength(9);
      expect((await agent.client.getTask(task.id)).inputTokens).toBe(4 * 1000 + 6000);
    } finally {
      await fixture.stop();
    }
  }, 120_000);
});
