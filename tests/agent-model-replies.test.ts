import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentTask, stoppedTaskStatuses } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { eventually } from './support/agent-process.ts';
import { reply } from './support/scripted-anthropic-server.ts';

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

/**
 * What the agent does with the model's replies that are no answer (cut off, empty), with errors past the
 * SDK's own retries, and with a request the provider refuses: never a false "done", never a retry loop
 * on a refusal, and nothing stored that the API would refuse when it is sent back.
 */
describe('replies and errors of the model that are not an answer', () => {
  let fixture: AgentFixture;
  // A data folder that starts out open to everyone, as a user's mkdir under umask 000 would leave it.
  const dataDirectory = openFolder();

  beforeAll(async () => {
    fixture = await startAgentFixture({
      desktop: { session: 'none' },
      dataDirectory,
      environment: {
        // Short waits between the loop's own retries (long enough to read the reason on the task), and a
        // short silence before a quiet model is given up, so the test does not sit through minutes.
        BYTEBOT_MODEL_RETRY_MS: '1500',
        BYTEBOT_MODEL_RETRY_MAX_MS: '3000',
        BYTEBOT_MODEL_IDLE_MS: '1000',
      },
    });
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  async function run(description: string): Promise<AgentTask> {
    const created = await fixture.client.createTask({ description });
    return fixture.client.waitForTask(created.id, stoppedTaskStatuses, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
  }

  it('goes on after a reply cut off at the output limit, instead of calling it done', async () => {
    const { model } = fixture;
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
    const { model } = fixture;
    const refused = model.refused.length;
    const empty = () => ({ content: [{ type: 'text', text: '' }], stopReason: 'end_turn' });
    model.play([empty, empty, () => ({ content: [], stopReason: 'end_turn' })]);
    const task = await run('Say nothing');
    expect(task.status).toBe('NEEDS_HELP');
    expect(task.error).toMatch(/3 empty replies in a row/);
    // Every request after the first empty reply was accepted: no blank text went back.
    expect(model.refused.length).toBe(refused);
    const messages = await fixture.client.messages(task.id);
    expect(JSON.stringify(messages)).not.toMatch(/"text":"\s*"/);

    // A person answers; the task reopens and its next request is still one the API accepts.
    model.play([reply.tool('set_task_status', { status: 'completed', description: 'Done at last.' })]);
    await fixture.client.addMessage(task.id, 'Please finish.');
    const finished = await fixture.client.waitForTask(task.id, ['COMPLETED'], { timeoutMs: 60_000 });
    expect(finished.result).toEqual({ summary: 'Done at last.' });
    expect(model.refused.length).toBe(refused);
  });

  it("keeps trying an overloaded model past the SDK's own retries", async () => {
    const { model } = fixture;
    // The SDK tries 5 times (4 retries); 7 answers of 529 need the loop's own retry.
    const overloaded = Array.from({ length: 7 }, () => reply.error(529, 'overloaded_error', 'Overloaded'));
    model.play([...overloaded, reply.tool('set_task_status', { status: 'completed', description: 'done' })]);
    const before = model.requests.length;
    const task = await run('Work through an outage');
    expect(task).toMatchObject({ status: 'COMPLETED', error: null });
    expect(model.requests.length - before).toBe(8);
  });

  it('fails at once, in words, when the provider refuses the request: no retry loop', async () => {
    const { model } = fixture;
    const other = await fixture.startAgent({
      dataDirectory: mkdtempSync(join(tmpdir(), 'model-replies-')),
      environment: { ANTHROPIC_MODEL: 'claude-imaginary-9' },
    });
    try {
      const refused = model.refused.length;
      const created = await other.client.createTask({ description: 'Anything' });
      const task = await other.client.waitForTask(created.id, ['FAILED'], { timeoutMs: 60_000 });
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
    const { model } = fixture;
    const silent = () => new Promise<never>(() => undefined);
    model.play([silent, reply.tool('set_task_status', { status: 'completed', description: 'done' })]);
    const before = model.requests.length;
    const created = await fixture.client.createTask({ description: 'Wait for a quiet model' });
    const noted = await eventually('the reason on the task', async () => {
      const task = await fixture.client.getTask(created.id);
      return task.error ? task : undefined;
    });
    expect(noted).toMatchObject({
      status: 'RUNNING',
      error: expect.stringMatching(/sent nothing for 1 s.*trying again/),
    });
    const task = await fixture.client.waitForTask(created.id, ['COMPLETED'], { timeoutMs: 60_000 });
    // Cleared once the model answered.
    expect(task.error).toBeNull();
    expect(model.requests.length - before).toBe(2);
  });
});
