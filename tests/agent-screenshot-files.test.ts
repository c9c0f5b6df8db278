import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorBody } from '@bytebot/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { eventually } from './support/agent-process.ts';
import { reply } from './support/scripted-anthropic-server.ts';

describe('screenshots stored as files, not in the database', () => {
  let fixture: AgentFixture;

  beforeAll(async () => {
    fixture = await startAgentFixture({ desktop: { session: 'none' } });
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('keeps references in the messages, serves the lossless screenshot the model got a copy of, and removes them with the task', async () => {
    const { agent, client, dataDirectory, model } = fixture;
    model.play([
      reply.computer({ action: 'screenshot' }),
      reply.computer({ action: 'mouse_move', coordinate: [300, 200] }),
      reply.tool('set_task_status', { status: 'completed', description: 'done' }),
    ]);
    const before = model.requests.length;
    const task = await client.createTask({ description: 'Look twice' });
    await client.waitForTask(task.id, ['COMPLETED'], { timeoutMs: 60_000 });

    const messages = await client.messages(task.id);
    // Each step of the model carries its own usage and cost (the default Claude model is priced).
    const steps = messages.filter((message) => message.role === 'assistant');
    expect(steps).toHaveLength(3);
    for (const step of steps) {
      expect(step.usage?.inputTokens).toBe(1000);
      expect(step.usage?.costUsd).toBeGreaterThan(0);
    }
    const stored = JSON.stringify(messages);
    expect(stored).not.toContain('"type":"base64"');
    expect(stored.length).toBeLessThan(10_000);
    // jsonb keeps keys in its own order: look for the file names alone.
    const files = [...stored.matchAll(/"id":"([0-9a-f]{64}\.png)"/g)].map((match) => match[1] as string);
    expect(files).toHaveLength(2);

    // The model still received the images inline: the first screenshot is the one it got next, as its
    // provider's copy (WebP for Claude) of the stored lossless PNG.
    const image = JSON.stringify(model.requests[before + 1]?.body.messages.at(-1)).match(
      /"media_type":"(image\/[a-z]+)","data":"([A-Za-z0-9+/=]+)"/,
    );
    expect(image?.[1]).toBe('image/webp');
    const sent = Buffer.from(image?.[2] ?? '', 'base64');
    const served = await fetch(`${agent.url}/tasks/${task.id}/screenshots/${files[0]}`, {
      headers: { authorization: `Bearer ${agent.token}` },
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toMatch(/immutable/);
    const [kept, copy] = await Promise.all(
      [Buffer.from(await served.arrayBuffer()), sent].map((bytes) =>
        sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true }),
      ),
    );
    expect(copy?.info).toMatchObject({ width: kept?.info.width, height: kept?.info.height });
    let difference = 0;
    for (const [index, value] of (kept?.data ?? Buffer.alloc(0)).entries())
      difference += Math.abs(value - (copy?.data[index] ?? 0));
    expect(difference / (kept?.data.length ?? 1)).toBeLessThan(2);
    expect(readdirSync(join(dataDirectory, 'screenshots', task.id)).sort()).toEqual(
      [...new Set(files)].sort(),
    );

    const missing = await agent.request<ErrorBody>(
      'GET',
      `/tasks/${task.id}/screenshots/${'0'.repeat(64)}.png`,
    );
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const sneaky = await agent.request('GET', `/tasks/${task.id}/screenshots/..%2F..%2Ftoken`);
    expect(sneaky.status).toBe(404);

    expect((await agent.request('DELETE', `/tasks/${task.id}`)).status).toBe(204);
    expect(existsSync(join(dataDirectory, 'screenshots', task.id))).toBe(false);
  });

  it('leaves no screenshot folder behind when a task is deleted in the middle of a step', async () => {
    const { agent, client, dataDirectory, model } = fixture;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      // Each step waits a little on the desktop, so the delete lands while a step is being carried out.
      model.play(
        Array.from({ length: 6 }, () =>
          reply.batch([{ action: 'wait', duration: 0.3 }, { action: 'screenshot' }]),
        ),
      );
      const task = await client.createTask({ description: 'Keep looking' });
      const folder = join(dataDirectory, 'screenshots', task.id);
      await eventually('the first screenshot stored', async () => (existsSync(folder) ? true : undefined));
      expect((await agent.request('DELETE', `/tasks/${task.id}`)).status).toBe(204);
      // Time for a step that was under way to end and store what it had.
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 1000));
      expect([attempt, existsSync(folder)]).toEqual([attempt, false]);
    }
  });
});
