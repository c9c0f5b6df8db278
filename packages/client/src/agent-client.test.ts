import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentTask } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentClient } from './agent-client.ts';
import { AgentClientError } from './agent-client-error.ts';
import { BytebotdClient } from './bytebotd-client.ts';

const id = '7f9c1a52-0000-4000-8000-000000000001';
const at = '2026-01-01T00:00:00.000Z';

function task(status: AgentTask['status']): AgentTask {
  return {
    id,
    description: 'a task',
    type: 'IMMEDIATE',
    status,
    priority: 'MEDIUM',
    control: 'ASSISTANT',
    createdBy: 'USER',
    scheduledFor: null,
    model: null,
    error: null,
    result: null,
    limits: null,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    steps: 0,
    costUsd: 0,
    runningMs: 0,
    createdAt: at,
    updatedAt: at,
    executedAt: null,
    completedAt: null,
    desktopId: null,
  };
}

/** A stand-in agent: answers by path, and records the requests. */
describe('the typed clients over HTTP', () => {
  let server: Server;
  let baseUrl: string;
  let looks = 0;
  const seen: Array<{ method: string; url: string; authorization: string | undefined; body: string }> = [];

  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        seen.push({
          method: request.method ?? '',
          url: request.url ?? '',
          authorization: request.headers.authorization,
          body,
        });
        const url = request.url ?? '';
        if (url === '/tasks' && request.method === 'POST') return answer(response, 201, task('PENDING'));
        if (url === `/tasks/${id}`) {
          looks += 1;
          return answer(response, 200, { ...task(looks >= 3 ? 'COMPLETED' : 'RUNNING'), messages: [] });
        }
        if (url.startsWith('/tasks?'))
          return answer(response, 200, { tasks: [task('FAILED')], total: 1, totalPages: 1 });
        if (url === '/tasks/models')
          return answer(response, 200, [{ provider: 'anthropic', name: 'claude' }]);
        if (url === '/desktops')
          return answer(response, 200, {
            desktops: [
              {
                id: 'desktop-1',
                state: 'busy',
                taskId: id,
                lastSeenAt: '2025-01-01T00:00:00.000Z',
                agentId: 'agent-1',
                screen: { width: 1280, height: 960 },
              },
            ],
          });
        if (url === '/desktops/host.lan%3A9990/screenshot?width=200') {
          response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
          return response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        }
        if (url === '/desktops/desktop-1/live-view')
          return answer(response, 200, { websocket: '/desktops/desktop-1/websockify', password: null });
        if (url === '/desktops/desktop-9/screenshot')
          return answer(response, 503, {
            error: { code: 'DESKTOP_UNAVAILABLE', message: 'desktop "desktop-9" is down' },
          });
        if (url === '/openapi.json' || url === '/computer-use') return; // never answers
        return answer(response, 404, { error: { code: 'NOT_FOUND', message: 'id: no task', path: ['id'] } });
      });
    });
    await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolvePromise) => server.close(resolvePromise));
  });

  it('sends the token and the request as the API takes it, and answers the typed body', async () => {
    const client = new AgentClient({ baseUrl, token: 'secret' });
    const created = await client.createTask({
      description: 'a task',
      model: { name: 'claude', provider: 'x' },
    });
    expect(created.status).toBe('PENDING');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/tasks', authorization: 'Bearer secret' });
    const page = await client.listTasks({ statuses: ['FAILED', 'CANCELLED'], limit: 5 });
    expect(page.total).toBe(1);
    expect(seen.at(-1)?.url).toBe('/tasks?statuses=FAILED%2CCANCELLED&limit=5');
  });

  it("lists the fleet's desktops", async () => {
    const client = new AgentClient({ baseUrl, token: 'secret' });
    const { desktops } = await client.desktops();
    expect(desktops).toEqual([expect.objectContaining({ id: 'desktop-1', state: 'busy', taskId: id })]);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/desktops', authorization: 'Bearer secret' });
  });

  it("reads a desktop's thumbnail and live view, its id escaped, and names a desktop that is down", async () => {
    const client = new AgentClient({ baseUrl, token: 'secret' });
    const thumbnail = await client.desktopScreenshot('host.lan:9990', { width: 200 });
    expect([thumbnail.mediaType, [...thumbnail.data]]).toEqual(['image/png', [0x89, 0x50, 0x4e, 0x47]]);
    expect(await client.desktopLiveView('desktop-1')).toEqual({
      websocket: '/desktops/desktop-1/websockify',
      password: null,
    });
    const down = await client.desktopScreenshot('desktop-9').catch((error: unknown) => error);
    expect(down).toMatchObject({ code: 'DESKTOP_UNAVAILABLE', status: 503, retryable: true });
  });

  it("rebuilds the agent's errors, and refuses an answer of the wrong shape", async () => {
    const client = new AgentClient({ baseUrl });
    const missing = await client.getTask('nope').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(AgentClientError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 404, path: ['id'], retryable: false });
    const wrong = await client.models().catch((error: unknown) => error);
    expect(wrong).toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('waits for a status, and gives up at its deadline or when aborted', async () => {
    const client = new AgentClient({ baseUrl });
    looks = 0;
    const finished = await client.waitForTask(id, ['COMPLETED'], { intervalMs: 10 });
    expect([finished.status, looks]).toEqual(['COMPLETED', 3]);
    looks = -1_000_000;
    const late = await client
      .waitForTask(id, ['COMPLETED'], { intervalMs: 10, timeoutMs: 50 })
      .catch((error: unknown) => error);
    expect(late).toMatchObject({ code: 'TIMEOUT' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stopped by the caller')), 30);
    const aborted = await client
      .waitForTask(id, ['COMPLETED'], { intervalMs: 10, signal: controller.signal })
      .catch((error: unknown) => error);
    expect(aborted).toMatchObject({ message: 'stopped by the caller' });
  });

  it("aborts a call in flight with the caller's reason, for both clients", async () => {
    const reason = new Error('cancelled');
    const agentCall = new AgentClient({ baseUrl }).openApi({ signal: AbortSignal.timeout(1) });
    await expect(agentCall).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    const desktop = new BytebotdClient({ baseUrl });
    const actions = () => seen.filter((request) => request.url === '/computer-use');
    const before = actions().length;
    const typing = desktop.typeText('hello', { signal: controller.signal });
    // Aborted once the server holds the whole request (it never answers it), however slow the machine.
    await vi.waitFor(() => expect(actions().length).toBe(before + 1), { timeout: 10_000 });
    controller.abort(reason);
    await expect(typing).rejects.toBe(reason);
    // The call's own fields are not sent with the action.
    expect(JSON.parse(actions().at(-1)?.body ?? '{}')).toEqual({ action: 'type_text', text: 'hello' });
    const deadline = await new AgentClient({ baseUrl, timeoutMs: 50 })
      .openApi()
      .catch((error: unknown) => error);
    expect(deadline).toMatchObject({ code: 'TIMEOUT' });
  });
});
