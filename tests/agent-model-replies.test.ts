import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, eventually, startAgentProcess } from './support/agent-process.ts';
import {
  reply,
  type ScriptedAnthropicServer,
  startScriptedAnthropicServer,
} from './support/scripted-anthropic-server.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

function openFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'model-replies-'));
  chmodSync(folder, 0o777);
  return folder;
}

/** Every path under a folder with its permission bits. */
function modes(folder: string): Array<[string, number]> {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((path) => [
    path,
    statSync(join(folder, path)).mode & 0o777,
  ]);
}

interface TaskBody {
  id: string;
  status: string;
  error: string | null;
  result: { summary?: string } | null;
}

interface MessageBody {
  role: string;
  content: Array<{ type: string; text?: string }>;
}

/**
 * What the agent does with the model's replies that are no answer (cut off, empty), with errors past the
 * SDK's own retries, and with a request the provider refuses: never a false "done", never a retry loop
 * on a refusal, and nothing stored that the API would refuse when it is sent back.
 */
describe('replies and errors of the model that are not an answer', () => {
  let test: TestDesktop;
  let model: ScriptedAnthropicServer;
  let agent: AgentProcess;
  let dataDirectory: string;

  beforeAll(async () => {
    // A data folder that starts out open to everyone, as a user's mkdir under umask 000 would leave it.
    dataDirectory = openFolder();
    test = await startTestDesktop({ session: 'none' });
    model = await startScriptedAnthropicServer();
    agent = await startAgentProcess({
      bytebotdUrl: test.bytebotd.url,
      token: test.bytebotd.token as string,
      dataDirectory,
      environment: {
        ANTHROPIC_API_KEY: 'sk-ant-test-key',
        ANTHROPIC_BASE_URL: model.url,
        // Short waits between the loop's own retries (long enough to read the reason on the task), and a
        // short silence before a quiet model is given up, so the test does not sit through minutes.
        BYTEBOT_MODEL_RETRY_MS: '1500',
        BYTEBOT_MODEL_RETRY_MAX_MS: '3000',
        BYTEBOT_MODEL_IDLE_MS: '1000',
      },
    });
  });

  afterAll(async () => {
    await agent?.stop();
    await model?.close();
    await test?.stop();
  });

  async function run(description: string): Promise<TaskBody> {
    const { body: created } = await agent.request<TaskBody>('POST', '/tasks', { description });
    return eventually(
      'the task to stop running',
      async () => {
        const { body } = await agent.request<TaskBody>('GET', `/tasks/${created.id}`);
        return ['COMPLETED', 'FAILED', 'NEEDS_HELP', 'CANCELLED'].includes(body.status) ? body : undefined;
      },
      60_000,
    );
  }

  it('goes on after a reply cut off at the output limit, instead of calling it done', async () => {
    const refused = model.refused.length;
    model.play([
      () => ({ content: [{ type: 'text', text: 'I will first consider every' }], stopReason: 'max_tokens' }),
      reply.tool('set_task_status', { status: 'completed', description: 'Finished after the cut-off.' }),
    ]);
    const before = model.requests.length;
    const task = await run('Write a long plan');
    expect(task).toMatchObject({ status: 'COMPLETED', result: { summary: 'Finished after the cut-off.' } });
    // The model was told its reply was cut off, and asked again.
    expect(JSON.stringify(model.requests[before + 1]?.body.messages.at(-1))).toContain(
      'cut off at the output limit',
    );
    expect(model.refused.length).toBe(refused);
  });

  it('asks a person after empty replies, and never sends an empty text block back', async () => {
    const refused = model.refused.length;
    const empty = () => ({ content: [{ type: 'text', text: '' }], stopReason: 'end_turn' });
    model.play([empty, empty, () => ({ content: [], stopReason: 'end_turn' })]);
    const task = await run('Say nothing');
    expect(task.status).toBe('NEEDS_HELP');
    expect(task.error).toMatch(/3 empty replies in a row/);
    // Every request after the first empty reply was accepted: no blank text went back.
    expect(model.refused.length).toBe(refused);
    const { body: messages } = await agent.request<MessageBody[]>('GET', `/tasks/${task.id}/messages`);
    expect(JSON.stringify(messages)).not.toMatch(/"text":"\s*"/);

    // A person answers; the task reopens and its next request is still one the API accepts.
    model.play([reply.tool('set_task_status', { status: 'completed', description: 'Done at last.' })]);
    await agent.request('POST', `/tasks/${task.id}/messages`, { message: 'Please finish.' });
    const finished = await eventually('the reopened task to finish', async () => {
      const { body } = await agent.request<TaskBody>('GET', `/tasks/${task.id}`);
      return body.status === 'COMPLETED' ? body : undefined;
    });
    expect(finished.result).toEqual({ summary: 'Done at last.' });
    expect(model.refused.length).toBe(refused);
  });

  it("keeps trying an overloaded model past the SDK's own retries", async () => {
    // The SDK tries 5 times (4 retries); 7 answers of 529 need the loop's own retry.
    const overloaded = Array.from({ length: 7 }, () => reply.error(529, 'overloaded_error', 'Overloaded'));
    model.play([...overloaded, reply.tool('set_task_status', { status: 'completed', description: 'done' })]);
    const before = model.requests.length;
    const task = await run('Work through an outage');
    expect(task).toMatchObject({ status: 'COMPLETED', error: null });
    expect(model.requests.length - before).toBe(8);
  });

  it('fails at once, in words, when the provider refuses the request: no retry loop', async () => {
    const other = await startAgentProcess({
      bytebotdUrl: test.bytebotd.url,
      token: test.bytebotd.token as string,
      dataDirectory: mkdtempSync(join(tmpdir(), 'model-replies-')),
      environment: {
        ANTHROPIC_API_KEY: 'sk-ant-test-key',
        ANTHROPIC_BASE_URL: model.url,
        ANTHROPIC_MODEL: 'claude-imaginary-9',
      },
    });
    try {
      const refused = model.refused.length;
      const { body: created } = await other.request<TaskBody>('POST', '/tasks', { description: 'Anything' });
      const task = await eventually('the task to fail', async () => {
        const { body } = await other.request<TaskBody>('GET', `/tasks/${created.id}`);
        return body.status === 'FAILED' ? body : undefined;
      });
      expect(task.error).toMatch(/does not know this model \(404\).*claude-imaginary-9/);
      // One request: a 404 is not retried, by the SDK or by the loop.
      expect(model.refused.length - refused).toBe(1);
    } finally {
      await other.stop();
    }
  });

  it('keeps its data folder private: every folder 0700, its files out of reach of other accounts', () => {
    expect(statSync(dataDirectory).mode & 0o777).toBe(0o700);
    const stored = modes(dataDirectory);
    // The embedded database and the screenshots are in there.
    expect(stored.length).toBeGreaterThan(100);
    const folders = stored.filter(([path]) => statSync(join(dataDirectory, path)).isDirectory());
    expect(folders.filter(([, mode]) => mode !== 0o700)).toEqual([]);
    // What was there when the database opened (PGlite makes its files 0666) was made private then.
    for (const file of ['data/PG_VERSION', 'data/postgresql.conf', 'data/pg_hba.conf']) {
      expect([file, statSync(join(dataDirectory, file)).mode & 0o777]).toEqual([file, 0o600]);
    }
    // Everything else the agent writes there is private from the start (its umask is 077).
    const ours = stored.filter(
      ([path]) => !path.startsWith('data') && statSync(join(dataDirectory, path)).isFile(),
    );
    expect(ours.filter(([, mode]) => (mode & 0o077) !== 0)).toEqual([]);
    // Another account reaches nothing in it, whatever a file's own mode (as root, try as nobody).
    if (process.getuid?.() === 0) {
      for (const file of ['data/postgresql.conf', 'data/PG_VERSION']) {
        const read = spawnSync('runuser', ['-u', 'nobody', '--', 'cat', join(dataDirectory, file)], {
          encoding: 'utf8',
        });
        expect([file, read.status, read.stderr]).toEqual([
          file,
          1,
          expect.stringMatching(/Permission denied/),
        ]);
      }
    }
  });

  it('gives up on a model server that accepted the request and went quiet, says so, and tries again', async () => {
    const silent = () => new Promise<never>(() => undefined);
    model.play([silent, reply.tool('set_task_status', { status: 'completed', description: 'done' })]);
    const before = model.requests.length;
    const { body: created } = await agent.request<TaskBody>('POST', '/tasks', {
      description: 'Wait for a quiet model',
    });
    const noted = await eventually('the reason on the task', async () => {
      const { body } = await agent.request<TaskBody>('GET', `/tasks/${created.id}`);
      return body.error ? body : undefined;
    });
    expect(noted).toMatchObject({
      status: 'RUNNING',
      error: expect.stringMatching(/sent nothing for 1 s.*trying again/),
    });
    const task = await eventually('the task to finish', async () => {
      const { body } = await agent.request<TaskBody>('GET', `/tasks/${created.id}`);
      return body.status === 'COMPLETED' ? body : undefined;
    });
    // Cleared once the model answered.
    expect(task.error).toBeNull();
    expect(model.requests.length - before).toBe(2);
  });
});
