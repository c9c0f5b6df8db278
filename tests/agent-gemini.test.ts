import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startAgentProcess } from './support/agent-process.ts';
import {
  type GeminiPart,
  reply,
  type ScriptedGeminiServer,
  startScriptedGeminiServer,
} from './support/scripted-gemini-server.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

interface StoredMessage {
  role: string;
  sequence: number;
  content: Array<{ type: string; id?: string; name?: string; content?: Array<{ type: string }> }>;
}

/** Keeps the screens the model saw in test-results/, to look at when a run goes wrong. */
function saveLastScreens(requests: ScriptedGeminiServer['requests']): void {
  mkdirSync('test-results', { recursive: true });
  requests.forEach((request, index) => {
    const image = request.body.contents.at(-1)?.parts.find((part) => part.inlineData)?.inlineData;
    if (image)
      writeFileSync(`test-results/agent-gemini-step-${index}.png`, Buffer.from(image.data, 'base64'));
  });
}

const lastTurn = (request: ScriptedGeminiServer['requests'][number] | undefined): GeminiPart[] =>
  request?.body.contents.at(-1)?.parts ?? [];

/*
 * One storage only: the adapter is what this test is about, and the Claude test already runs the loop on
 * PostgreSQL and BullMQ. A second agent on that shared database would also pick up the other test's
 * unfinished tasks at start.
 */
describe('a task carried out by Gemini (scripted) on the real desktop', () => {
  let test: TestDesktop;
  let model: ScriptedGeminiServer;

  beforeAll(async () => {
    model = await startScriptedGeminiServer();
  });

  beforeEach(async () => {
    test = await startTestDesktop();
  });

  afterEach(async () => {
    await test?.stop();
  });

  afterAll(async () => {
    await model?.close();
  });

  it('writes the sentence into a file', async () => {
    const { bytebotd } = test;
    const sentence = `The quick brown fox jumps over the lazy dog ${randomUUID().slice(0, 8)}.`;
    const path = join(test.desktop.user.home, `agent-gemini-note-${randomUUID()}.txt`);
    model.play([
      reply.call('screenshot', {}, { say: 'I will start by looking at the screen.' }),
      // Gemini 3 sends an id and a thought signature with its calls; Gemini 2.x sends neither. Both kinds here.
      reply.call(
        'open_application',
        { application: 'text_editor' },
        { id: 'gm-open-1', thoughtSignature: 'U0lHLW9wZW4=' },
      ),
      reply.call('type_text', { text: sentence }),
      reply.call('type_keys', { keys: ['ctrl', 's'] }),
      // The save dialog takes a moment to open; a real model waits too.
      reply.call('wait', { duration: 1500 }),
      reply.call('type_text', { text: path }),
      // The file chooser loads the typed folder before it accepts Return.
      reply.call('wait', { duration: 1000 }),
      reply.call('type_keys', { keys: ['Return'] }),
      reply.call('wait', { duration: 1000 }),
      reply.call('set_task_status', { status: 'completed', description: `Saved the sentence in ${path}` }),
    ]);
    const before = model.requests.length;
    const agent = await startAgentProcess({
      bytebotdUrl: bytebotd.url,
      token: bytebotd.token as string,
      dataDirectory: mkdtempSync(join(tmpdir(), 'agent-gemini-test-')),
      environment: {
        GEMINI_API_KEY: 'test-key',
        GEMINI_BASE_URL: model.url,
        GEMINI_MODEL: 'gemini-2.5-flash',
      },
    });
    try {
      const { body: models } = await agent.request<
        Array<{ provider: string; name: string; default: boolean }>
      >('GET', '/tasks/models');
      expect(models).toEqual([
        expect.objectContaining({ provider: 'gemini', name: 'gemini-2.5-flash', default: true }),
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
          return ['COMPLETED', 'FAILED', 'NEEDS_HELP', 'CANCELLED'].includes(body.status) ? body : undefined;
        },
        120_000,
      );
      expect(finished, agent.output()).toMatchObject({ status: 'COMPLETED', error: null });
      // The strict stand-in refused nothing the adapter sent.
      expect(model.refusals.map((refusal) => refusal.message)).toEqual([]);

      const requests = model.requests.slice(before);
      saveLastScreens(requests);
      // The effect on the desktop: the file holds the sentence, read back through bytebotd.
      const file = await bytebotd.client.readFile(path);
      expect(file.content.toString('utf8').trimEnd()).toBe(sentence);

      // Every message stored, in order, alternating, with the screenshots in the tool results.
      const { body: messages } = await agent.request<StoredMessage[]>('GET', `/tasks/${id}/messages`);
      expect(messages.map((message) => message.role)).toEqual([
        'user',
        ...Array.from({ length: 10 }, () => ['assistant', 'user']).flat(),
      ]);
      const sequences = messages.map((message) => message.sequence);
      expect([...sequences].sort((first, second) => first - second)).toEqual(sequences);
      const firstCall = messages[1]?.content.find((block) => block.type === 'tool_use');
      expect(firstCall?.name).toBe('screenshot');
      expect(firstCall?.id).toMatch(/^call_\d+_[0-9a-f]{8}$/);
      expect(messages[2]?.content[0]?.type).toBe('tool_result');
      expect(messages[2]?.content[0]?.content?.[0]?.type).toBe('image');
      expect(messages[3]?.content.find((block) => block.type === 'tool_use')?.id).toBe('gm-open-1');

      // The real SDK spoke the Gemini API to the scripted server.
      expect(requests).toHaveLength(10);
      const first = requests[0];
      expect(first?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
      expect(first?.headers['x-goog-api-key']).toBe('test-key');
      expect(JSON.stringify(first?.body.systemInstruction)).toContain('Bytebot');
      const declared = first?.body.tools?.[0]?.functionDeclarations ?? [];
      expect(declared.map((declaration) => declaration.name)).toEqual(
        expect.arrayContaining([
          'screenshot',
          'click_mouse',
          'type_text',
          'type_keys',
          'wait',
          'set_task_status',
        ]),
      );
      expect(
        declared.find((declaration) => declaration.name === 'type_text')?.parametersJsonSchema,
      ).toMatchObject({
        type: 'object',
        required: ['text'],
      });
      expect(first?.body.generationConfig).toMatchObject({ maxOutputTokens: expect.any(Number) });
      expect(first?.body.contents).toHaveLength(1);
      expect(first?.body.contents[0]?.role).toBe('user');
      expect(first?.body.contents[0]?.parts[0]).toEqual({ text: 'Write a sentence into a new text file' });

      // After the screenshot call: the model's call, then its response named after it and the screenshot.
      const second = requests[1];
      expect(second?.body.contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
      expect(second?.body.contents[1]?.parts).toEqual([
        { text: 'I will start by looking at the screen.' },
        { functionCall: { name: 'screenshot', args: {} } },
      ]);
      expect(lastTurn(second)).toEqual([
        { functionResponse: { name: 'screenshot', response: { output: expect.any(String) } } },
        { inlineData: { mimeType: 'image/webp', data: expect.stringMatching(/^UklGR/) } },
      ]);

      // Gemini's own id goes back with its call and response, and the thought signature with the call.
      const third = requests[2];
      expect(third?.body.contents.at(-2)?.parts).toEqual([
        {
          functionCall: { name: 'open_application', args: { application: 'text_editor' }, id: 'gm-open-1' },
          thoughtSignature: 'U0lHLW9wZW4=',
        },
      ]);
      expect(lastTurn(third)[0]).toEqual({
        functionResponse: {
          name: 'open_application',
          id: 'gm-open-1',
          response: { output: expect.any(String) },
        },
      });

      // Every later request: alternating turns, each function response named after its call, a screenshot
      // after each computer action, and nothing of ours (summaries, made-up ids) sent.
      for (const request of requests.slice(1)) {
        const roles = request.body.contents.map((content) => content.role);
        expect(roles).toEqual(roles.map((_, index) => (index % 2 === 0 ? 'user' : 'model')));
        const call = request.body.contents.at(-2)?.parts.find((part) => part.functionCall)?.functionCall;
        const [response, screenshot] = lastTurn(request);
        expect(response?.functionResponse?.name).toBe(call?.name);
        expect(screenshot?.inlineData?.mimeType).toBe('image/webp');
        expect(JSON.stringify(request.body)).not.toMatch(/"summary"|call_\d+_[0-9a-f]{8}|providerMetadata/);
      }

      // Usage is summed per task and returned by the API.
      const { body: task } = await agent.request<{ inputTokens: number; outputTokens: number }>(
        'GET',
        `/tasks/${id}`,
      );
      expect(task.inputTokens).toBe(10 * 1000);
      expect(task.outputTokens).toBe(10 * 50);
    } finally {
      await agent.stop();
    }
  });
});
