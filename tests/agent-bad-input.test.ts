import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentTask, ErrorBody, TaskPage } from '@bytebot/protocol';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from './support/agent-process.ts';
import { createTestDatabase } from './support/test-database.ts';

/** A process's peak resident memory so far, in MiB (VmHWM). */
function peakMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return Number(line?.[1]) / 1024;
}

/**
 * Input that used to get a 500 or be half stored: each is now a clear 400 naming the field, and nothing
 * is stored. On PostgreSQL, which refuses a NUL character in text.
 */
describe("the agent's answers to input it cannot store", () => {
  let agent: AgentProcess;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    agent = await startAgentProcess({
      // No desktop and no model are needed to be refused.
      bytebotdUrl: 'http://127.0.0.1:9',
      token: 'bad-input-token',
      dataDirectory: mkdtempSync(join(tmpdir(), 'agent-bad-input-')),
      environment: { DATABASE_URL: database.url },
    });
  });

  afterAll(async () => {
    await agent?.stop();
    await database?.drop();
  });

  async function total(): Promise<number> {
    const { body } = await agent.request<TaskPage>('GET', '/tasks');
    return body.total;
  }

  const file = (name: string) => ({
    name,
    type: 'text/plain',
    base64: Buffer.from('hello').toString('base64'),
  });

  it.each([
    ['a NUL in the description', { description: 'a\u0000b' }, ['description'], /NUL/],
    [
      'a NUL in a file name',
      { description: 'ok', files: [file('a\u0000.txt')] },
      ['files', 0, 'name'],
      /NUL/,
    ],
    ['a NUL in the model', { description: 'ok', model: 'claude\u0000' }, ['model'], /NUL/],
    [
      'the year 0000',
      { description: 'ok', scheduledFor: '0000-01-01T00:00:00Z' },
      ['scheduledFor'],
      /1970 to 9999/,
    ],
    [
      'the year 0001',
      { description: 'ok', scheduledFor: '0001-01-01T00:00:00Z' },
      ['scheduledFor'],
      /1970 to 9999/,
    ],
    [
      'SCHEDULED without a time',
      { description: 'ok', type: 'SCHEDULED' },
      ['scheduledFor'],
      /required when type is SCHEDULED/,
    ],
  ])('refuses %s with 400 naming the field, storing nothing', async (_, body, path, message) => {
    const before = await total();
    const { status, body: answer } = await agent.request<ErrorBody>('POST', '/tasks', body);
    expect(status).toBe(400);
    expect(answer.error.path).toEqual(path);
    expect(answer.error.message).toMatch(message);
    expect(await total()).toBe(before);
  });

  it('refuses a NUL in a message with 400, leaving the conversation as it was', async () => {
    const { body: task } = await agent.request<AgentTask>('POST', '/tasks', { description: 'Talk' });
    const messages = async () => (await agent.request<unknown[]>('GET', `/tasks/${task.id}/messages`)).body;
    const before = await messages();
    const { status, body } = await agent.request<ErrorBody>('POST', `/tasks/${task.id}/messages`, {
      message: 'hi\u0000there',
    });
    expect([status, body.error.path]).toEqual([400, ['message']]);
    expect(await messages()).toEqual(before);
  });

  it('says a JSON body of null is not an object, rather than not JSON', async () => {
    const response = await fetch(`${agent.url}/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
      body: 'null',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toBe(
      'body: expected a JSON object, got null',
    );
  });

  it('refuses a zip bomb from the sizes it declares, before unpacking it', async () => {
    // 10 images of 60 MiB of zeros: about 0.6 MB packed, 600 MiB unpacked.
    const zeros = new Uint8Array(60 * 1024 * 1024);
    const entries = Object.fromEntries(
      Array.from({ length: 10 }, (_, index) => [`images/${String(index).padStart(64, '0')}.png`, zeros]),
    );
    const bomb = zipSync(entries, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(2 * 1024 * 1024);
    const before = peakMiB(agent.pid);
    // A connection of its own: the pooled one may have been closed by the agent while the bomb was made.
    const response = await new Promise<{ status: number; body: string }>((resolvePromise, rejectPromise) => {
      const sent = request(
        `${agent.url}/tasks/import`,
        {
          method: 'POST',
          agent: false,
          headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/zip' },
        },
        (answer) => {
          let body = '';
          answer.setEncoding('utf8').on('data', (chunk: string) => {
            body += chunk;
          });
          answer.on('end', () => resolvePromise({ status: answer.statusCode ?? 0, body }));
        },
      );
      sent.on('error', rejectPromise);
      sent.end(bomb);
    });
    expect(response.status).toBe(400);
    expect((JSON.parse(response.body) as ErrorBody).error.message).toMatch(/unpacks to more than 512 MiB/);
    const after = peakMiB(agent.pid);
    console.log(`zip bomb: the agent's peak RSS went from ${before.toFixed(0)} to ${after.toFixed(0)} MiB`);
    // Memory, not time: the bomb never unpacked, so the peak barely moved (it was 2.27 GB before the fix).
    expect(after - before).toBeLessThan(100);
  });

  it("refuses a state change from another origin's page (another port of 127.0.0.1), but not a program's", async () => {
    const { body: task } = await agent.request<AgentTask>('POST', '/tasks', {
      description: 'Stay as you are',
    });
    // What a form on http://127.0.0.1:8000 sends: a text/plain POST with its page's Origin.
    const forged = await fetch(`${agent.url}/tasks/${task.id}/cancel`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${agent.token}`,
        origin: 'http://127.0.0.1:8000',
        'content-type': 'text/plain',
      },
      body: 'x=1',
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as ErrorBody).error.code).toBe('ORIGIN_NOT_ALLOWED');
    // Not cancelled (it may have gone from PENDING to RUNNING meanwhile: the queue picked it up).
    expect((await agent.request<AgentTask>('GET', `/tasks/${task.id}`)).body.status).not.toBe('CANCELLED');
    // The UI's own origin, and a program that sends none, may.
    const fromUi = await fetch(`${agent.url}/tasks/${task.id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}`, origin: 'http://127.0.0.1:9992' },
    });
    expect([200, 409]).toContain(fromUi.status);
  });
});
