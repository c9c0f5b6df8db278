import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startAgentProcess } from './support/agent-process.ts';
import {
  reply,
  type ScriptedAnthropicServer,
  startScriptedAnthropicServer,
} from './support/scripted-anthropic-server.ts';
import { createTestDatabase } from './support/test-database.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

interface StoredMessage {
  role: string;
  sequence: number;
  content: Array<{ type: string; name?: string; content?: Array<{ type: string }> }>;
}

/** Keeps the screens the model saw in test-results/, to look at when a run goes wrong. */
function saveLastScreens(requests: ScriptedAnthropicServer['requests']): void {
  mkdirSync('test-results', { recursive: true });
  requests.forEach((request, index) => {
    const image = JSON.stringify(request.body.messages.at(-1)?.content ?? []).match(
      /"data":"([A-Za-z0-9+/=]+)"/,
    );
    if (image?.[1]) writeFileSync(`test-results/agent-step-${index}.png`, Buffer.from(image[1], 'base64'));
  });
}

const pglite = {
  name: 'PGlite and the in-process queue',
  environment: {} as Record<string, string>,
  queue: 'in-process',
  database: 'pglite',
};
const postgres = {
  name: 'PostgreSQL and BullMQ on Redis',
  // DATABASE_URL: a database of this test's own, made below.
  environment: { REDIS_URL: 'redis://127.0.0.1:6379' } as Record<string, string>,
  queue: 'bullmq',
  database: 'postgres',
};

/**
 * The default model (Claude Sonnet 5.5) takes the computer toolset and batches its actions; an older model
 * (Sonnet 4.6) takes the beta tool, one action a turn, on a picture scaled to 1238x928.
 */
const cases = [
  { ...pglite, model: 'claude-sonnet-5-5', tool: 'toolset' },
  { ...postgres, model: 'claude-sonnet-5-5', tool: 'toolset' },
  { ...pglite, model: 'claude-sonnet-4-6', tool: 'beta' },
];

describe('a task carried out by Claude (scripted) on the real desktop', () => {
  let test: TestDesktop;
  let model: ScriptedAnthropicServer;

  beforeAll(async () => {
    model = await startScriptedAnthropicServer();
  });

  // A fresh desktop for each run: the editor left open by one run would change what the next one sees.
  beforeEach(async () => {
    test = await startTestDesktop();
  });

  afterEach(async () => {
    await test?.stop();
  });

  afterAll(async () => {
    await model?.close();
  });

  it.each(cases)(
    '$model writes the sentence into a file with $name',
    async ({ environment, queue, database, model: modelName, tool }) => {
      const { bytebotd } = test;
      const sentence = `The quick brown fox jumps over the lazy dog ${randomUUID().slice(0, 8)}.`;
      const path = join(test.desktop.user.home, `agent-note-${randomUUID()}.txt`);
      const batched = tool === 'toolset';
      model.play(
        batched
          ? [
              reply.computer({ action: 'screenshot' }, 'I will start by looking at the screen.'),
              reply.tool('open_application', { application: 'text_editor' }),
              // A batch: type, save, and wait for the dialog, in one turn.
              reply.batch([
                { action: 'type', text: sentence },
                { action: 'key', text: 'ctrl+s' },
                { action: 'wait', duration: 1.5 },
              ]),
              // The file chooser loads the typed folder before it accepts Return.
              reply.batch([
                { action: 'type', text: path },
                { action: 'wait', duration: 1 },
                { action: 'key', text: 'Return' },
                { action: 'wait', duration: 1 },
              ]),
              // A zoom on the top-left quarter comes back enlarged to fill the picture, and no larger.
              reply.computer({ action: 'zoom', region: [0, 0, 639, 479] }),
              reply.tool('set_task_status', {
                status: 'completed',
                description: `Saved the sentence in ${path}`,
              }),
            ]
          : [
              reply.computer({ action: 'screenshot' }, 'I will start by looking at the screen.'),
              reply.tool('open_application', { application: 'text_editor' }),
              reply.computer({ action: 'type', text: sentence }),
              reply.computer({ action: 'key', text: 'ctrl+s' }),
              // The save dialog takes a moment to open; a real model waits too.
              reply.computer({ action: 'wait', duration: 1.5 }),
              reply.computer({ action: 'type', text: path }),
              reply.computer({ action: 'wait', duration: 1 }),
              reply.computer({ action: 'key', text: 'Return' }),
              reply.computer({ action: 'wait', duration: 1 }),
              reply.tool('set_task_status', {
                status: 'completed',
                description: `Saved the sentence in ${path}`,
              }),
            ],
      );
      const turns = batched ? 6 : 10;
      const before = model.requests.length;
      const refusedBefore = model.refused.length;
      const ownDatabase = database === 'postgres' ? await createTestDatabase() : undefined;
      const agent = await startAgentProcess({
        bytebotdUrl: bytebotd.url,
        token: bytebotd.token as string,
        dataDirectory: mkdtempSync(join(tmpdir(), 'agent-test-')),
        environment: {
          ...environment,
          ...(ownDatabase
            ? { DATABASE_URL: ownDatabase.url, BYTEBOT_QUEUE_NAME: `bytebot-test-${randomUUID()}` }
            : {}),
          ANTHROPIC_API_KEY: 'sk-ant-test-key',
          ANTHROPIC_BASE_URL: model.url,
          ANTHROPIC_MODEL: modelName,
        },
      });
      try {
        const health = await fetch(`${agent.url}/health`).then((response) => response.json());
        expect(health).toMatchObject({ status: 'ok', database, queue, desktop: 'ok' });
        // The startup check: which computer tool the model gets.
        expect(health.models).toEqual([
          expect.objectContaining({
            name: modelName,
            tool: batched ? 'computer_toolset_20260801' : 'computer_20251124',
          }),
        ]);

        const created = await agent.request<{ id: string; status: string }>('POST', '/tasks', {
          description: 'Write a sentence into a new text file',
          priority: 'HIGH',
        });
        expect(created.status).toBe(201);
        const id = created.body.id;
        const finished = await eventually(
          'the task to finish',
          async () => {
            const { body } = await agent.request<{ status: string; error: string | null }>(
              'GET',
              `/tasks/${id}`,
            );
            return ['COMPLETED', 'FAILED', 'NEEDS_HELP', 'CANCELLED'].includes(body.status)
              ? body
              : undefined;
          },
          120_000,
        );
        // Nothing the agent sent was refused by the stand-in's rules (the real API's).
        expect(model.refused.slice(refusedBefore)).toEqual([]);
        expect(finished).toMatchObject({ status: 'COMPLETED', error: null });

        saveLastScreens(model.requests.slice(before));
        // The effect on the desktop: the file holds the sentence, read back through bytebotd.
        const file = await bytebotd.client.readFile(path);
        expect(file.content.toString('utf8').trimEnd()).toBe(sentence);

        // Every message stored, in order, with the screenshots in the tool results.
        const { body: messages } = await agent.request<StoredMessage[]>('GET', `/tasks/${id}/messages`);
        expect(messages.map((message) => message.role)).toEqual([
          'user',
          ...Array.from({ length: turns }, () => ['assistant', 'user']).flat(),
        ]);
        const sequences = messages.map((message) => message.sequence);
        expect([...sequences].sort((first, second) => first - second)).toEqual(sequences);
        expect(messages[1]?.content.find((block) => block.type === 'tool_use')?.name).toBe(
          batched ? 'screenshot' : 'computer',
        );
        expect(messages[2]?.content[0]?.type).toBe('tool_result');
        expect(messages[2]?.content[0]?.content?.[0]?.type).toBe('image');

        const requests = model.requests.slice(before);
        expect(requests).toHaveLength(turns);
        const first = requests[0];
        // Newer SDKs send the key as a bearer token, older ones as x-api-key.
        expect(String(first?.headers['x-api-key'] ?? first?.headers.authorization)).toContain(
          'sk-ant-test-key',
        );
        expect(JSON.stringify(first?.body.system)).toContain('"cache_control"');
        // Cache breakpoints: after the system prompt, and on each of the three newest user turns.
        expect(JSON.stringify(requests.at(-1)?.body).match(/"cache_control"/g)).toHaveLength(4);
        // The prefix the cache reads (tools, then system) is the same bytes at every step.
        const prefixes = new Set(
          requests.map((request) => JSON.stringify([request.body.tools, request.body.system])),
        );
        expect(prefixes.size).toBe(1);
        if (batched) {
          // The toolset: one entry, no display fields, no beta header; the screen fits as it is.
          expect(first?.body.tools?.[0]).toEqual({ type: 'computer_toolset_20260801' });
          expect(first?.headers['anthropic-beta']).toBeUndefined();
          // The batch's results: each echoes toolset_name; words for the first two, the settled screen last.
          const batchResults = messages[6]?.content as Array<Record<string, unknown>>;
          expect(batchResults.map((block) => block.toolset_name)).toEqual([
            'computer',
            'computer',
            'computer',
          ]);
          expect(
            batchResults.map((block) => (block.content as Array<{ type: string }>).map((part) => part.type)),
          ).toEqual([['text'], ['text'], ['image']]);
          const zoomed = JSON.stringify(messages[10]).match(/"id":"([0-9a-f]{64}\.png)"/)?.[1];
          const served = await fetch(`${agent.url}/tasks/${id}/screenshots/${zoomed}`, {
            headers: { authorization: `Bearer ${agent.token}` },
          });
          const zoom = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
          expect([zoom.width, zoom.height]).toEqual([1280, 960]);
        } else {
          expect(String(first?.headers['anthropic-beta'])).toContain('computer-use-2025-11-24');
          // A 1280x960 screen is more than Sonnet 4.6 takes without resizing: it is told, and shown, 1238x928.
          expect(first?.body.tools?.[0]).toMatchObject({
            type: 'computer_20251124',
            name: 'computer',
            enable_zoom: true,
            display_width_px: 1238,
            display_height_px: 928,
          });
        }

        // Usage is summed per task and returned by the API.
        const { body: task } = await agent.request<{ inputTokens: number; outputTokens: number }>(
          'GET',
          `/tasks/${id}`,
        );
        expect(task.inputTokens).toBe(turns * 1000);
        expect(task.outputTokens).toBe(turns * 50);
      } finally {
        await agent.stop();
        await ownDatabase?.drop();
      }
    },
  );
});
