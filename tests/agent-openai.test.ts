import { createServer } from 'node:net';
import { ModelCatalog, type ModelProvider, type ModelRequest } from '@bytebot/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reply,
  type ScriptedOpenAIServer,
  startScriptedOpenAIServer,
} from './support/scripted-openai-server.ts';

// The whole task on the real desktop, through Chat Completions and an OpenAI-compatible server: agent-providers.test.ts.

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
