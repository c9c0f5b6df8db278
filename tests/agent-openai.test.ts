import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelCatalog, type ModelProvider, type ModelRequest } from '@bytebot/agent';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startAgentProcess } from './support/agent-process.ts';
import {
  type RecordedMessage,
  reply,
  type ScriptedOpenAIServer,
  startScriptedOpenAIServer,
} from './support/scripted-openai-server.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

interface StoredMessage {
  role: string;
  sequence: number;
  content: Array<{ type: string; name?: string; summary?: string; content?: Array<{ type: string }> }>;
}

function imageParts(message: RecordedMessage | undefined): Array<{ image_url: { url: string } }> {
  if (!Array.isArray(message?.content)) return [];
  return message.content.filter((part) => part.type === 'image_url') as Array<{ image_url: { url: string } }>;
}

/** Keeps the screens the model saw in test-results/, to look at when a run goes wrong. */
function saveLastScreens(requests: ScriptedOpenAIServer['requests'], label: string): void {
  mkdirSync('test-results', { recursive: true });
  requests.forEach((request, index) => {
    const url = imageParts(request.body.messages.at(-1))[0]?.image_url.url;
    const data = url?.split(',')[1];
    if (data) writeFileSync(`test-results/agent-${label}-step-${index}.png`, Buffer.from(data, 'base64'));
  });
}

function providerFor(environment: Record<string, string>): ModelProvider {
  const resolved = new ModelCatalog(environment).resolve(null);
  if ('error' in resolved) throw new Error(resolved.error);
  return resolved.provider;
}

const simpleRequest: ModelRequest = {
  system: 'You are Bytebot.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
  tools: [],
  screen: { width: 1280, height: 960 },
  maxOutputTokens: 256,
};

describe('the OpenAI adapter through the real SDK against a scripted server', () => {
  let model: ScriptedOpenAIServer;

  beforeAll(async () => {
    model = await startScriptedOpenAIServer();
  });

  afterAll(async () => {
    await model?.close();
  });

  it('sends the key, the model and the function tools, and reads the reply and usage', async () => {
    model.play([reply.text('Hello.')]);
    const before = model.requests.length;
    const provider = providerFor({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${model.url}/v1`,
      OPENAI_MODEL: 'gpt-test',
    });
    expect(provider.provider).toBe('openai');
    const response = await provider.generate(simpleRequest);
    expect(response).toEqual({
      content: [{ type: 'text', text: 'Hello.' }],
      toolCalls: [],
      stopReason: 'end_turn',
      usage: { inputTokens: 1000, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
    const [request] = model.requests.slice(before);
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.body).toMatchObject({
      model: 'gpt-test',
      max_completion_tokens: 256,
      messages: [
        { role: 'system', content: 'You are Bytebot.' },
        { role: 'user', content: 'Say hello' },
      ],
    });
    expect(request?.body.stream).toBeUndefined();
  });

  it('names the key variable on a 401, for OpenAI and for a compatible server', async () => {
    model.play([
      reply.error(401, 'invalid_request_error', 'Incorrect API key provided: sk-test.', 'invalid_api_key'),
      reply.error(401, 'invalid_request_error', 'Unauthorized', null),
    ]);
    const openai = providerFor({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${model.url}/v1`,
      OPENAI_MODEL: 'gpt-test',
    });
    await expect(openai.generate(simpleRequest)).rejects.toMatchObject({
      name: 'ModelError',
      status: 401,
      retryable: false,
      message: expect.stringMatching(/check OPENAI_API_KEY\. Incorrect API key provided/),
    });
    const compatible = providerFor({
      OPENAI_COMPATIBLE_BASE_URL: `${model.url}/v1`,
      OPENAI_COMPATIBLE_MODEL: 'local-model',
    });
    await expect(compatible.generate(simpleRequest)).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('check OPENAI_COMPATIBLE_API_KEY'),
    });
  });

  it('retries rate limits and server errors, and gives up retryable', async () => {
    model.play([
      reply.error(429, 'requests', 'Rate limit reached for gpt-test.', 'rate_limit_exceeded'),
      reply.error(500, 'server_error', 'The server had an error.'),
      reply.text('Made it.'),
    ]);
    const provider = providerFor({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${model.url}/v1`,
      OPENAI_MODEL: 'gpt-test',
    });
    expect((await provider.generate(simpleRequest)).content).toEqual([{ type: 'text', text: 'Made it.' }]);

    model.play(Array.from({ length: 5 }, () => reply.error(503, 'server_error', 'Overloaded.')));
    const before = model.requests.length;
    await expect(provider.generate(simpleRequest)).rejects.toMatchObject({
      status: 503,
      retryable: true,
      message: expect.stringContaining('Overloaded.'),
    });
    // The first try and the SDK's four retries.
    expect(model.requests.length - before).toBe(5);
  });

  it('reports a server that cannot be reached as retryable', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolvePromise) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address() as { port: number };
        probe.close(() => resolvePromise(address.port));
      });
    });
    const provider = providerFor({
      OPENAI_COMPATIBLE_BASE_URL: `http://127.0.0.1:${port}/v1`,
      OPENAI_COMPATIBLE_MODEL: 'local-model',
    });
    await expect(provider.generate(simpleRequest)).rejects.toMatchObject({
      name: 'ModelError',
      retryable: true,
      message: expect.stringContaining(
        `could not reach The OpenAI-compatible server at http://127.0.0.1:${port}/v1`,
      ),
    });
  }, 30_000);
});

/** Model settings the test machine may have, cleared so that only the one under test is configured. */
const noOtherModels = {
  ANTHROPIC_API_KEY: '',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  OPENAI_MODELS: '',
  GEMINI_API_KEY: '',
  OPENAI_COMPATIBLE_BASE_URL: '',
  OPENAI_COMPATIBLE_MODELS: '',
  OPENAI_COMPATIBLE_API_KEY: '',
  BYTEBOT_DEFAULT_MODEL: '',
};

const setups = [
  {
    name: 'OpenAI',
    provider: 'openai',
    model: 'gpt-test',
    environment: (url: string) => ({
      ...noOtherModels,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${url}/v1`,
      OPENAI_MODEL: 'gpt-test',
    }),
    authorization: 'Bearer sk-test',
  },
  {
    name: 'an OpenAI-compatible server',
    provider: 'openai-compatible',
    model: 'local-model',
    environment: (url: string) => ({
      ...noOtherModels,
      OPENAI_COMPATIBLE_BASE_URL: `${url}/v1`,
      OPENAI_COMPATIBLE_MODEL: 'local-model',
    }),
    authorization: 'Bearer not-needed',
  },
];

describe('a task carried out by an OpenAI model (scripted) on the real desktop', () => {
  let test: TestDesktop;
  let model: ScriptedOpenAIServer;

  beforeAll(async () => {
    model = await startScriptedOpenAIServer();
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

  it.each(setups)(
    'writes the sentence into a file through $name',
    async ({ name, provider, model: modelName, environment, authorization }) => {
      const { bytebotd } = test;
      const sentence = `The quick brown fox jumps over the lazy dog ${randomUUID().slice(0, 8)}.`;
      const path = join(test.desktop.user.home, `agent-note-${randomUUID()}.txt`);
      model.play([
        reply.tool('screenshot', {}, 'I will start by looking at the screen.'),
        reply.tool('open_application', { application: 'text_editor' }),
        reply.tool('type_text', { text: sentence }),
        reply.tool('type_keys', { keys: ['ctrl', 's'] }),
        // The save dialog takes a moment to open; a real model waits too.
        reply.tool('wait', { duration: 1500 }),
        reply.tool('type_text', { text: path }),
        // The file chooser loads the typed folder before it accepts Return.
        reply.tool('wait', { duration: 1000 }),
        reply.tool('type_keys', { keys: ['Return'] }),
        reply.tool('wait', { duration: 1000 }),
        reply.tool('set_task_status', { status: 'completed', description: `Saved the sentence in ${path}` }),
      ]);
      const before = model.requests.length;
      const agent = await startAgentProcess({
        bytebotdUrl: bytebotd.url,
        token: bytebotd.token as string,
        dataDirectory: mkdtempSync(join(tmpdir(), 'agent-test-')),
        environment: environment(model.url),
      });
      try {
        // The configured model, and only it, with its provider.
        const { body: models } = await agent.request<Array<Record<string, unknown>>>('GET', '/tasks/models');
        expect(models).toEqual([
          {
            provider,
            name: modelName,
            title: `${modelName} (${provider})`,
            default: true,
            tool: 'function tools',
            toolDescription: expect.any(String),
          },
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
        const requests = model.requests.slice(before);
        saveLastScreens(requests, provider);
        expect(finished, agent.output()).toMatchObject({ status: 'COMPLETED', error: null });

        // The effect on the desktop: the file holds the sentence, read back through bytebotd.
        const file = await bytebotd.client.readFile(path);
        expect(file.content.toString('utf8').trimEnd()).toBe(sentence);

        // Every message stored, in order, with the screenshots in the tool results.
        const { body: messages } = await agent.request<StoredMessage[]>('GET', `/tasks/${id}/messages`);
        expect(messages.map((message) => message.role)).toEqual([
          'user',
          ...Array.from({ length: 10 }, () => ['assistant', 'user']).flat(),
        ]);
        const sequences = messages.map((message) => message.sequence);
        expect([...sequences].sort((first, second) => first - second)).toEqual(sequences);
        const typed = messages[5]?.content.find((block) => block.type === 'tool_use');
        expect(typed).toMatchObject({ name: 'type_text', summary: expect.any(String) });
        expect(messages[6]?.content[0]?.type).toBe('tool_result');
        expect(messages[6]?.content[0]?.content?.[0]?.type).toBe('image');

        // The real SDK spoke Chat Completions to the scripted server.
        expect(requests, `${name}: one request per step`).toHaveLength(10);
        const first = requests[0];
        expect(first?.path).toBe('/v1/chat/completions');
        expect(first?.headers.authorization).toBe(authorization);
        expect(first?.body.model).toBe(modelName);
        expect(first?.body.messages[0]).toMatchObject({ role: 'system' });
        const tools = first?.body.tools?.map((tool) => `${tool.type}:${tool.function.name}`) ?? [];
        expect(tools).toEqual(
          expect.arrayContaining([
            'function:screenshot',
            'function:click_mouse',
            'function:type_text',
            'function:type_keys',
            'function:set_task_status',
            'function:open_application',
          ]),
        );

        // After a computer action (type_text, the third step), a tool message, then the screenshot in a user message.
        const fourth = requests[3]?.body.messages ?? [];
        const assistant = fourth.at(-3);
        const call = assistant?.tool_calls?.[0];
        expect(call).toMatchObject({ type: 'function', function: { name: 'type_text' } });
        expect(JSON.parse(call?.function.arguments ?? '{}')).toEqual({ text: sentence });
        expect(JSON.stringify(assistant)).not.toContain('summary');
        expect(fourth.at(-2)).toEqual({
          role: 'tool',
          tool_call_id: call?.id,
          content: 'The screenshot after this action follows.',
        });
        const screenshot = fourth.at(-1);
        expect(screenshot?.role).toBe('user');
        // JPEG for Chat Completions: OpenAI-compatible servers do not all read WebP.
        expect(imageParts(screenshot)[0]?.image_url.url).toMatch(/^data:image\/jpeg;base64,\/9j\//);

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
    },
  );
});
