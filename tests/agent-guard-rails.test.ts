import type { AgentMessage, AgentTask, ErrorBody, TaskLimits, TaskStatus } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { type RecordedRequest, reply, type ScriptStep } from './support/scripted-anthropic-server.ts';

/** What the model was sent last: the newest user turn, as JSON. */
function lastUserTurn(request: RecordedRequest | undefined): string {
  return JSON.stringify(request?.body.messages.at(-1)?.content ?? []);
}

/** Moves the pointer to a new point each step: busy, never the same action twice. */
const busy = (count: number, delayMs = 0): ScriptStep[] =>
  Array.from({ length: count }, (_, index) => async (request: RecordedRequest) => {
    if (delayMs > 0) await new Promise((resolvePromise) => setTimeout(resolvePromise, delayMs));
    return reply.computer({
      action: 'mouse_move',
      coordinate: [100 + ((index * 37) % 900), 100 + (index % 600)],
    })(request);
  });

const done = (description: string) => reply.tool('set_task_status', { status: 'completed', description });

describe('guard rails: every task is bounded, and a person can let it go on', () => {
  let fixture: AgentFixture;

  const createTask = async (limits?: TaskLimits) => {
    const { status, body } = await fixture.agent.request<AgentTask>('POST', '/tasks', {
      description: 'Do something on the desktop',
      ...(limits ? { limits } : {}),
    });
    expect(status).toBe(201);
    return body;
  };

  const waitForStatus = (id: string, statuses: TaskStatus[]) =>
    fixture.client.waitForTask(id, statuses, { timeoutMs: 60_000, intervalMs: 100 });

  const settled = (id: string) => waitForStatus(id, ['NEEDS_HELP', 'COMPLETED', 'FAILED']);

  const send = async (id: string, body: Record<string, unknown>) => {
    const sent = await fixture.agent.request<AgentMessage>('POST', `/tasks/${id}/messages`, body);
    expect(sent.status).toBe(201);
  };

  beforeAll(async () => {
    // A priced model: $2 per million input tokens, $10 per million output tokens.
    fixture = await startAgentFixture({ desktop: { session: 'none' }, model: 'claude-sonnet-5-5' });
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('warns a model that repeats itself on an unchanged screen, then stops it for a person', async () => {
    const { model } = fixture;
    const before = model.requests.length;
    model.play(
      Array.from({ length: 20 }, () => reply.computer({ action: 'mouse_move', coordinate: [400, 300] })),
    );
    const task = await createTask();
    const stopped = await settled(task.id);
    expect(stopped.status).toBe('NEEDS_HELP');
    expect(stopped.error).toMatch(
      /^Stopped because the model did the same thing 5 times in a row and the screen did not change \(.+\)\. It looks stuck: check the desktop, then send a message with a hint/,
    );
    const requests = model.requests.slice(before);
    expect(requests).toHaveLength(5);
    // The third repeat's result told the model, in the request that followed it.
    expect(lastUserTurn(requests[2])).not.toContain('times in a row');
    expect(lastUserTurn(requests[3])).toContain(
      'you have done exactly this 3 times in a row and the screen did not change. You are repeating yourself',
    );
    expect(lastUserTurn(requests[4])).toContain('exactly this 4 times in a row');

    // A hint resumes it; the detector counts afresh.
    model.play([done('Clicked the button instead')]);
    await send(task.id, { message: 'Moving the pointer there does nothing: click the OK button instead.' });
    expect(await waitForStatus(task.id, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED' });
    expect(lastUserTurn(model.requests.at(-1))).toContain('click the OK button instead');
  });

  it('stops a busy model at the step limit; a message raising the limit lets it go on', async () => {
    const { model } = fixture;
    const before = model.requests.length;
    model.play(busy(10));
    const task = await createTask({ maxSteps: 3 });
    expect(task.limits).toEqual({
      maxSteps: 3,
      maxTokens: 2_000_000,
      maxCostUsd: 5,
      maxMinutes: 60,
      tools: ['open_application', 'read_file', 'write_file'],
    });
    const stopped = await settled(task.id);
    const reason =
      "Stopped after 3 steps (the task's step limit is 3). To let it go on, send a message with a higher " +
      'limit (limits.maxSteps in POST /tasks/:id/messages).';
    expect(stopped).toMatchObject({ status: 'NEEDS_HELP', steps: 3, error: reason });
    expect(model.requests.length - before).toBe(3);

    // A message that does not raise the limit is kept, but the task stops again at once, asking nothing.
    await send(task.id, { message: 'Please go on.' });
    expect(await settled(task.id)).toMatchObject({ status: 'NEEDS_HELP', error: reason });
    expect(model.requests.length - before).toBe(3);

    model.play([done('Finished after the limit was raised')]);
    await send(task.id, { message: 'Take a few more steps.', limits: { maxSteps: 10 } });
    const finished = await waitForStatus(task.id, ['COMPLETED', 'FAILED', 'NEEDS_HELP']);
    expect(finished).toMatchObject({ status: 'COMPLETED', steps: 4 });
    expect(finished.limits).toEqual({
      maxSteps: 10,
      maxTokens: 2_000_000,
      maxCostUsd: 5,
      maxMinutes: 60,
      tools: ['open_application', 'read_file', 'write_file'],
    });
    // The model read both messages.
    expect(lastUserTurn(model.requests.at(-1))).toMatch(/Please go on\..*Take a few more steps\./);
  });

  it('stops a model over its budget at the cost limit, counting what it spent', async () => {
    const { model } = fixture;
    const before = model.requests.length;
    const expensive =
      (step: ScriptStep): ScriptStep =>
      async (request) => ({ ...(await step(request)), usage: { input: 600_000, output: 50 } });
    model.play([
      expensive(reply.computer({ action: 'mouse_move', coordinate: [222, 333] })),
      expensive(done('Finished within the new budget')),
    ]);
    const task = await createTask({ maxCostUsd: 1 });
    const stopped = await settled(task.id);
    expect(stopped.status).toBe('NEEDS_HELP');
    expect(stopped.error).toBe(
      "Stopped after spending $1.20 on the model (the task's cost limit is $1.00). To let it go on, send a " +
        'message with a higher limit (limits.maxCostUsd in POST /tasks/:id/messages).',
    );
    // 600,000 input tokens at $2 and 50 output tokens at $10 per million.
    expect(stopped.costUsd).toBeCloseTo(1.2005, 6);
    expect(model.requests.length - before).toBe(1);

    await send(task.id, { message: 'You may spend up to five dollars.', limits: { maxCostUsd: 5 } });
    const finished = await waitForStatus(task.id, ['COMPLETED', 'FAILED', 'NEEDS_HELP']);
    expect(finished).toMatchObject({ status: 'COMPLETED', steps: 2 });
    expect(finished.costUsd).toBeCloseTo(2.401, 6);
    expect(finished.limits?.maxCostUsd).toBe(5);
  });

  it('stops a task that runs past its time limit', async () => {
    const { model } = fixture;
    // The model takes a moment to answer each time, as a real one does.
    model.play(busy(500, 50));
    const task = await createTask({ maxMinutes: 0.02, maxSteps: 500 });
    const stopped = await settled(task.id);
    expect(stopped.status).toBe('NEEDS_HELP');
    expect(stopped.error).toMatch(
      /^Stopped after running for [\d.]+ seconds \(the task's time limit is 1\.2 seconds\)\. To let it go on, send a message with a higher limit \(limits\.maxMinutes/,
    );
    expect(stopped.runningMs).toBeGreaterThanOrEqual(1200);

    model.play([done('Finished in the extra time')]);
    await send(task.id, { message: 'Take your time.', limits: { maxMinutes: 30 } });
    expect(await waitForStatus(task.id, ['COMPLETED', 'FAILED', 'NEEDS_HELP'])).toMatchObject({
      status: 'COMPLETED',
      limits: { maxMinutes: 30, maxSteps: 500 },
    });
  });

  it('offers only the agent tools a task allows, and refuses a call of another unrun', async () => {
    const { model } = fixture;
    const before = model.requests.length;
    model.play([
      reply.tool('write_file', { path: 'withheld.txt', content: 'should not be written' }),
      done('Tried the file tool'),
    ]);
    const task = await createTask({ tools: ['open_application'] });
    expect(task.limits?.tools).toEqual(['open_application']);
    expect(await settled(task.id)).toMatchObject({ status: 'COMPLETED' });
    const sent = model.requests.slice(before);
    const offered = (sent[0]?.body.tools ?? []).map((tool) => tool.name);
    expect(offered).toEqual(expect.arrayContaining(['set_task_status', 'open_application']));
    expect(offered).not.toContain('write_file');
    expect(offered).not.toContain('read_file');
    const answered = lastUserTurn(sent[1]);
    expect(answered).toContain('"is_error":true');
    expect(answered).toContain('write_file is not available on this task');
  });

  it('refuses limits that are not positive numbers, naming the field', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['/tasks', { description: 'x', limits: { maxSteps: 0 } }, /^limits\.maxSteps: /],
      ['/tasks', { description: 'x', limits: { maxSteps: 2.5 } }, /^limits\.maxSteps: /],
      ['/tasks', { description: 'x', limits: { maxCostUsd: -1 } }, /^limits\.maxCostUsd: /],
      ['/tasks', { description: 'x', limits: { maxMinutes: 'soon' } }, /^limits\.maxMinutes: /],
      ['/tasks', { description: 'x', limits: { maxDollars: 3 } }, /^limits: .*maxDollars/],
      ['/tasks', { description: 'x', limits: { tools: ['shell'] } }, /^limits\.tools\.0: /],
      ['/tasks', { description: 'x', limits: { tools: 'read_file' } }, /^limits\.tools: /],
      ['/tasks', { description: 'x', limits: { tools: ['read_file', 'read_file'] } }, /^limits\.tools: /],
    ];
    for (const [path, body, message] of cases) {
      const response = await fixture.agent.request<ErrorBody>('POST', path, body);
      expect([response.status, response.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
      expect(response.body.error.message).toMatch(message);
    }
    const { tasks } = await fixture.client.listTasks({ limit: 1 });
    const id = tasks[0]?.id;
    const refused = await fixture.agent.request<ErrorBody>('POST', `/tasks/${id}/messages`, {
      message: 'more',
      limits: { maxTokens: -5 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^limits\.maxTokens: /);
  });
});
