import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { type AgentProcess, eventually } from './support/agent-process.ts';
import { reply, type ScriptedAnthropicServer } from './support/scripted-anthropic-server.ts';
import type { TestDesktop } from './support/test-desktop.ts';
import { sessionCookie, startUiProcess, type UiProcess } from './support/ui-process.ts';

/*
 * The original Bytebot agent's API as its web UI and programs use it, written down from the original's
 * sources (bytebot-ai/bytebot: packages/bytebot-ui/src/utils/taskUtils.ts, hooks/useWebSocket.ts,
 * hooks/useChatSession.ts, app/page.tsx, types/index.ts; packages/bytebot-agent/src/tasks and messages;
 * packages/shared/src/types/messageContent.types.ts), not from this repository's types: the requests are
 * sent as that UI sends them, and the answers are checked for the fields that UI reads.
 */

/** The original's Task, as its UI declares it (the fields it reads). */
interface OriginalTask {
  id: string;
  description: string;
  status: 'PENDING' | 'RUNNING' | 'NEEDS_HELP' | 'NEEDS_REVIEW' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  priority: 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT';
  control: 'USER' | 'ASSISTANT';
  createdAt: string;
}

/** The original's content blocks (packages/shared messageContent.types.ts), loosely. */
interface OriginalBlock {
  type: string;
  text?: string;
  name?: string;
  id?: string;
  input?: Record<string, unknown>;
  tool_use_id?: string;
  is_error?: boolean;
  source?: { type: string; media_type: string; data: string };
  content?: OriginalBlock[];
}

interface OriginalMessage {
  id: string;
  content: OriginalBlock[];
  role: 'USER' | 'ASSISTANT';
  taskId?: string;
  createdAt?: string;
  take_over?: boolean;
}

/** GET /tasks/:id/messages/processed answers a list of these. */
interface GroupedMessages {
  role: 'USER' | 'ASSISTANT';
  messages: OriginalMessage[];
  take_over?: boolean;
}

/** The model object the original UI sends: an entry of GET /tasks/models, whole. */
interface OriginalModel {
  provider: string;
  name: string;
  title: string;
}

const pngSignature = '89504e470d0a1a0a';

/** Calls the agent as the original UI's Next.js proxy does: JSON, no token (BYTEBOT_AUTH=off). */
async function original<T>(base: string, method: string, path: string, body?: unknown, cookie?: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(cookie ? { cookie } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** The security types a VNC server offers over a websocket, after the RFB 3.8 version handshake. */
function vncSecurityTypes(url: string): Promise<number[]> {
  return new Promise((resolvePromise, rejectPromise) => {
    const socket = new WebSocket(url, ['binary']);
    let received = Buffer.alloc(0);
    let versionSent = false;
    socket.on('message', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (!versionSent && received.length >= 12) {
        expect(received.subarray(0, 4).toString('latin1')).toBe('RFB ');
        socket.send(Buffer.from('RFB 003.008\n', 'latin1'));
        received = received.subarray(12);
        versionSent = true;
      }
      const count = received[0];
      if (versionSent && count !== undefined && received.length >= 1 + count) {
        resolvePromise([...received.subarray(1, 1 + count)]);
        socket.close();
      }
    });
    socket.on('unexpected-response', (_request, response) =>
      rejectPromise(new Error(`the websocket was refused: ${response.statusCode}`)),
    );
    socket.on('error', rejectPromise);
  });
}

describe('the original Bytebot UI and programs, unchanged, against this agent', () => {
  let fixture: AgentFixture;
  let test: TestDesktop;
  let model: ScriptedAnthropicServer;
  let agent: AgentProcess;

  beforeAll(async () => {
    fixture = await startAgentFixture({
      desktop: { session: 'none', vnc: 'without-password', environment: { BYTEBOT_AUTH: 'off' } },
      token: 'unused',
      environment: { BYTEBOT_AUTH: 'off' },
    });
    ({ testDesktop: test, model, agent } = fixture);
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('runs a task created from the chat box (model object, data-URL upload) and shows it as the original does', async () => {
    model.play([
      reply.computer({ action: 'screenshot' }, 'Looking at the screen.'),
      reply.computer({ action: 'left_click', coordinate: [100, 200] }),
      reply.computer({ action: 'type', text: 'hello' }),
      reply.tool('set_task_status', { status: 'completed', description: 'Clicked and typed.' }),
    ]);
    // app/page.tsx: the models for the select, the first one chosen, sent back whole with the description.
    const models = await original<OriginalModel[]>(agent.url, 'GET', '/tasks/models');
    expect(models.status).toBe(200);
    const [chosen] = models.body;
    expect(chosen).toMatchObject({
      provider: 'anthropic',
      name: expect.any(String),
      title: expect.any(String),
    });
    // ChatInput.tsx reads an upload with FileReader.readAsDataURL and sends { name, base64, type, size }.
    const content = 'notes from the original UI\n';
    const created = await original<OriginalTask>(agent.url, 'POST', '/tasks', {
      description: 'Click and type hello',
      model: chosen,
      files: [
        {
          name: 'notes.txt',
          base64: `data:text/plain;base64,${Buffer.from(content).toString('base64')}`,
          type: 'text/plain',
          size: Buffer.byteLength(content),
        },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      description: 'Click and type hello',
      priority: 'MEDIUM',
      control: 'ASSISTANT',
    });
    const id = created.body.id;

    // useChatSession.ts: the task, then its messages (limit 10) and the grouped view (limit 1000).
    const finished = await eventually('the task to complete', async () => {
      const { body } = await original<OriginalTask>(agent.url, 'GET', `/tasks/${id}`);
      return ['COMPLETED', 'FAILED', 'NEEDS_HELP'].includes(body.status) ? body : undefined;
    });
    expect(finished.status).toBe('COMPLETED');
    const placed = await test.bytebotd.client.readFile('Desktop/notes.txt');
    expect(placed.content.toString('utf8')).toBe(content);
    expect((await original(agent.url, 'GET', `/tasks/${id}/messages?limit=10&page=1`)).status).toBe(200);
    expect((await original(agent.url, 'GET', `/tasks/${id}/messages?limit=1000&page=1`)).status).toBe(200);

    const processed = await original<GroupedMessages[]>(
      agent.url,
      'GET',
      `/tasks/${id}/messages/processed?limit=1000&page=1`,
    );
    expect(processed.status).toBe(200);
    const groups = processed.body;
    expect(groups.length).toBeGreaterThanOrEqual(2);
    // Back-to-back messages of a role form one group: two groups in a row never share a role.
    for (const [index, group] of groups.entries()) {
      expect(['USER', 'ASSISTANT']).toContain(group.role);
      expect(group.take_over ?? false).toBe(false);
      if (index > 0) expect(group.role).not.toBe(groups[index - 1]?.role);
      for (const message of group.messages) {
        expect(message).toMatchObject({ id: expect.any(String), taskId: id, createdAt: expect.any(String) });
        expect(['USER', 'ASSISTANT']).toContain(message.role);
      }
    }
    // The task's description opens the conversation, as the person's message.
    expect(groups[0]?.role).toBe('USER');
    expect(groups[0]?.messages[0]?.content[0]).toMatchObject({ type: 'text' });
    expect(groups[0]?.messages[0]?.content[0]?.text).toContain('Click and type hello');
    // The steps, as the original names its tools (ComputerToolUtils.tsx labels them by these names).
    const blocks = groups.flatMap((group) => group.messages.flatMap((message) => message.content));
    const toolUses = blocks.filter((block) => block.type === 'tool_use');
    expect(toolUses.map((block) => block.name)).toEqual([
      'computer_screenshot',
      'computer_click_mouse',
      'computer_type_text',
      'set_task_status',
    ]);
    expect(toolUses[1]?.input).toMatchObject({
      coordinates: { x: 100, y: 200 },
      button: 'left',
      clickCount: 1,
    });
    expect(toolUses[2]?.input).toMatchObject({ text: 'hello' });
    expect(toolUses[3]?.input).toMatchObject({ status: 'completed', description: 'Clicked and typed.' });
    // Tool results are the assistant's (screenshotUtils.ts finds them there), screenshots inline in source.data.
    const results = groups
      .filter((group) => group.role === 'ASSISTANT')
      .flatMap((group) => group.messages.flatMap((message) => message.content))
      .filter((block) => block.type === 'tool_result');
    expect(results.length).toBeGreaterThanOrEqual(3);
    const screenshots = results
      .flatMap((block) => block.content ?? [])
      .filter((block) => block.type === 'image');
    expect(screenshots.length).toBeGreaterThanOrEqual(3);
    for (const image of screenshots) {
      expect(image.source).toMatchObject({ type: 'base64', media_type: 'image/png' });
      expect(
        Buffer.from(image.source?.data ?? '', 'base64')
          .subarray(0, 8)
          .toString('hex'),
      ).toBe(pngSignature);
    }
    expect(results.every((block) => toolUses.some((use) => use.id === block.tool_use_id))).toBe(true);

    // /messages/raw: every message, ungrouped, in the same shapes.
    const raw = await original<OriginalMessage[]>(
      agent.url,
      'GET',
      `/tasks/${id}/messages/raw?limit=1000&page=1`,
    );
    expect(raw.status).toBe(200);
    expect(raw.body.length).toBe(groups.reduce((total, group) => total + group.messages.length, 0));
    expect(new Set(raw.body.map((message) => message.role))).toEqual(new Set(['USER', 'ASSISTANT']));
    expect(JSON.stringify(raw.body)).not.toMatch(/"source":\{"type":"file"/);
    // A page of it, as taskUtils.ts asks for one.
    const firstTwo = await original<OriginalMessage[]>(
      agent.url,
      'GET',
      `/tasks/${id}/messages/raw?limit=2&page=1`,
    );
    expect(firstTwo.body.map((message) => message.id)).toEqual(
      raw.body.slice(0, 2).map((message) => message.id),
    );
  });

  it('accepts a model given by name or as any original model object, and bare base64', async () => {
    for (const model of [
      'claude-opus-4-20250514',
      { provider: 'anthropic', name: 'claude-opus-4-20250514', title: 'Claude Opus 4' },
      { provider: 'proxy', name: 'gpt-4o', title: 'GPT-4o', contextWindow: 128000 },
    ]) {
      const created = await original<OriginalTask>(agent.url, 'POST', '/tasks', {
        description: 'Accepted as the original accepts it',
        model,
        files: [
          { name: 'bare.txt', base64: Buffer.from('bare').toString('base64'), type: 'text/plain', size: 4 },
        ],
      });
      expect([JSON.stringify(model), created.status]).toEqual([JSON.stringify(model), 201]);
      await original(agent.url, 'POST', `/tasks/${created.body.id}/cancel`);
    }
    const refused = await original<{ error: { message: string } }>(agent.url, 'POST', '/tasks', {
      description: 'x',
      model: { provider: 'anthropic', title: 'no name' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^model\.name: required/);
  });

  it('lists tasks the way its task list and tabs ask, and controls a task as its buttons do', async () => {
    const page = await original<{ tasks: OriginalTask[]; total: number; totalPages: number }>(
      agent.url,
      'GET',
      '/tasks?page=1&limit=10&statuses=COMPLETED,CANCELLED,FAILED',
    );
    expect(page.status).toBe(200);
    expect(page.body.total).toBeGreaterThanOrEqual(1);
    expect(page.body.totalPages).toBe(Math.ceil(page.body.total / 10));
    const active = await original<{ total: number }>(
      agent.url,
      'GET',
      '/tasks?statuses=PENDING,RUNNING,NEEDS_HELP,NEEDS_REVIEW&limit=1',
    );
    expect(active.status).toBe(200);

    model.play([reply.tool('set_task_status', { status: 'needs_help', description: 'Which file?' })]);
    const { body: task } = await original<OriginalTask>(agent.url, 'POST', '/tasks', {
      description: 'Ask me',
    });
    await eventually('the task to ask for help', async () => {
      const { body } = await original<OriginalTask>(agent.url, 'GET', `/tasks/${task.id}`);
      return body.status === 'NEEDS_HELP' ? body : undefined;
    });
    const takenOver = await original<OriginalTask>(agent.url, 'POST', `/tasks/${task.id}/takeover`);
    expect([takenOver.status, takenOver.body.control]).toEqual([200, 'USER']);
    const cancelled = await original<OriginalTask>(agent.url, 'POST', `/tasks/${task.id}/cancel`);
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'CANCELLED']);
  });

  it('sends its socket.io events as the original: join_task by id, task_deleted with the id string', async () => {
    // useWebSocket.ts: no auth, websocket transport, join_task with the id and no acknowledgement.
    const socket = io(agent.url, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolvePromise, rejectPromise) => {
      socket.on('connect', () => resolvePromise());
      socket.on('connect_error', rejectPromise);
    });
    try {
      model.play([reply.tool('set_task_status', { status: 'completed', description: 'done' })]);
      const created = new Promise<OriginalTask>((resolvePromise) =>
        socket.once('task_created', resolvePromise),
      );
      const { body: task } = await original<OriginalTask>(agent.url, 'POST', '/tasks', {
        description: 'Watched',
      });
      expect((await created).id).toBe(task.id);
      const messages: OriginalMessage[] = [];
      socket.on('new_message', (message: OriginalMessage) => messages.push(message));
      socket.emit('join_task', task.id);
      await eventually('the task to complete', async () => {
        const { body } = await original<OriginalTask>(agent.url, 'GET', `/tasks/${task.id}`);
        return body.status === 'COMPLETED' ? body : undefined;
      });
      await original(agent.url, 'POST', `/tasks/${task.id}/messages`, { message: 'thanks' });
      // useChatSession.ts keeps a new message when its taskId is the task's.
      const thanks = await eventually('the new message', async () =>
        messages.find((message) => message.taskId === task.id),
      );
      expect(thanks.id).toEqual(expect.any(String));

      const deleted = new Promise<unknown>((resolvePromise) => socket.once('task_deleted', resolvePromise));
      expect((await original(agent.url, 'DELETE', `/tasks/${task.id}`)).status).toBe(204);
      expect(await deleted).toBe(task.id);
    } finally {
      socket.close();
    }
  });

  it("opens the live view as the original's VncViewer does: the websocket, and a VNC server that asks no password", async () => {
    // server.ts proxies /api/proxy/websockify to BYTEBOT_DESKTOP_VNC_URL (bytebotd's /websockify); react-vnc
    // has no password to give, so the server must offer security type 1 (None).
    const types = await vncSecurityTypes(`${test.bytebotd.url.replace('http', 'ws')}/websockify`);
    expect(types).toContain(1);
    const liveView = await original<{ password: string | null }>(test.bytebotd.url, 'GET', '/live-view');
    expect(liveView.body.password).toBeNull();
  });
});

describe('the original UI through our UI server, authentication on', () => {
  let fixture: AgentFixture<'none'>;
  let agent: AgentProcess;
  let ui: UiProcess;
  let cookie: string;

  beforeAll(async () => {
    fixture = await startAgentFixture({ provider: 'none', desktop: { session: 'none' } });
    agent = fixture.agent;
    ui = await startUiProcess({ agentUrl: agent.url, bytebotdUrl: fixture.bytebotd.url, token: agent.token });
    cookie = await sessionCookie(ui);
  });

  afterAll(async () => {
    await ui?.stop();
    await fixture?.stop();
  });

  it("answers the original's requests under /api/agent with the session, and nothing without it", async () => {
    const base = `${ui.url}/api/agent`;
    const model = { provider: 'anthropic', name: 'claude-opus-4-20250514', title: 'Claude Opus 4' };
    const body = {
      description: 'Through the proxy',
      model,
      files: [{ name: 'a.txt', base64: 'data:text/plain;base64,YQ==', type: 'text/plain', size: 1 }],
    };
    expect((await original(base, 'POST', '/tasks', body)).status).toBe(401);
    const created = await original<OriginalTask>(base, 'POST', '/tasks', body, cookie);
    expect(created.status).toBe(201);
    const processed = await original<GroupedMessages[]>(
      base,
      'GET',
      `/tasks/${created.body.id}/messages/processed?limit=1000&page=1`,
      undefined,
      cookie,
    );
    expect(processed.status).toBe(200);
    expect(Array.isArray(processed.body)).toBe(true);
    const raw = await original<OriginalMessage[]>(
      base,
      'GET',
      `/tasks/${created.body.id}/messages/raw`,
      undefined,
      cookie,
    );
    expect(raw.status).toBe(200);
    expect((await original(agent.url, 'GET', '/tasks')).status).toBe(401);
  });
});
