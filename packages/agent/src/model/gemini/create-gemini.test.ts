import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reply,
  type ScriptedGeminiServer,
  startScriptedGeminiServer,
} from '../../../../../tests/support/scripted-gemini-server.ts';
import { ModelError } from '../model-error.ts';
import type { ModelRequest } from '../model-provider.ts';
import { createGemini } from './create-gemini.ts';

const request: ModelRequest = {
  system: 'You are Bytebot.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Take a screenshot' }] }],
  tools: [],
  screen: { width: 1280, height: 960 },
  maxOutputTokens: 1024,
};

const quick = { 'retry-after-ms': '10' };

describe('the Gemini provider through the real SDK against a scripted server', () => {
  let server: ScriptedGeminiServer;

  beforeAll(async () => {
    server = await startScriptedGeminiServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  const provider = (overrides: { apiKey?: string; baseUrl?: string; maxRetries?: number } = {}) =>
    createGemini({ apiKey: 'test-key', baseUrl: server.url, model: 'gemini-2.5-flash', ...overrides });

  it('posts generateContent with the key header and gets a call back', async () => {
    server.play([reply.call('screenshot', {}, { say: 'Looking.', id: 'fc-1', thoughtSignature: 'U0lH' })]);
    const before = server.requests.length;
    const gemini = provider();
    expect(gemini.provider).toBe('gemini');
    const response = await gemini.generate(request);
    expect(response).toMatchObject({
      stopReason: 'tool_use',
      toolCalls: [{ kind: 'computer', id: 'fc-1', actions: [] }],
      usage: { inputTokens: 1000, outputTokens: 50 },
    });
    expect(response).not.toHaveProperty('finishReason');
    const sent = server.requests[before];
    expect(sent?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent?.headers['x-goog-api-key']).toBe('test-key');
    expect(sent?.body.systemInstruction).toEqual({ parts: [{ text: 'You are Bytebot.' }], role: 'user' });
    expect(sent?.body.generationConfig).toEqual({ maxOutputTokens: 1024 });
    expect(sent?.body.contents).toEqual([{ role: 'user', parts: [{ text: 'Take a screenshot' }] }]);
  });

  it('takes an API version at the end of the base URL as the version', async () => {
    server.play([reply.text('hello')]);
    const before = server.requests.length;
    await provider({ baseUrl: `${server.url}/v1beta/` }).generate(request);
    expect(server.requests[before]?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it("retries 429 and 5xx, honouring the server's retry delay", async () => {
    server.play([
      reply.error(429, 'Resource has been exhausted (e.g. check quota).', { 'retry-after': '0.05' }),
      reply.error(503, 'The model is overloaded. Please try again later.', quick),
      reply.text('done'),
    ]);
    const before = server.requests.length;
    const started = Date.now();
    const response = await provider().generate(request);
    expect(response.content).toEqual([{ type: 'text', text: 'done' }]);
    expect(response.stopReason).toBe('end_turn');
    expect(server.requests.length - before).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('gives up after four tries with a retryable ModelError', async () => {
    server.play(Array.from({ length: 5 }, () => reply.error(500, 'Internal error encountered.', quick)));
    const before = server.requests.length;
    const error = await provider()
      .generate(request)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect((error as Error).message).toContain('Internal error encountered.');
    expect(server.requests.length - before).toBe(4);
  });

  it('does not wait for minutes when the server asks it to', async () => {
    server.play([reply.error(429, 'Quota exceeded.', { 'retry-after': '3600' }), reply.text('never')]);
    const before = server.requests.length;
    await expect(provider().generate(request)).rejects.toMatchObject({ status: 429, retryable: true });
    expect(server.requests.length - before).toBe(1);
    server.play([]);
  });

  it('names GEMINI_API_KEY when the key is refused, and does not retry', async () => {
    for (const [status, message] of [
      [400, 'API key not valid. Please pass a valid API key.'],
      [401, 'Request had invalid authentication credentials.'],
      [403, 'Permission denied: Consumer has been suspended.'],
    ] as const) {
      server.play([reply.error(status, message), reply.text('never')]);
      const before = server.requests.length;
      const error = await provider()
        .generate(request)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ModelError);
      expect(error).toMatchObject({ status, retryable: false });
      expect((error as Error).message).toContain('GEMINI_API_KEY');
      expect((error as Error).message).toContain(message);
      expect(server.requests.length - before).toBe(1);
    }
    server.play([]);
  });

  it('says which model is unknown', async () => {
    server.play([reply.error(404, 'models/gemini-2.5-flash is not found for API version v1beta.')]);
    await expect(provider().generate(request)).rejects.toMatchObject({
      status: 404,
      retryable: false,
      message: expect.stringContaining('"gemini-2.5-flash"'),
    });
  });

  it('asks again after a malformed function call', async () => {
    server.play([
      () => ({ parts: [], finishReason: 'MALFORMED_FUNCTION_CALL' }),
      reply.call('wait', { duration: 500 }),
    ]);
    const response = await provider().generate(request);
    expect(response.toolCalls).toMatchObject([
      { kind: 'computer', actions: [{ action: 'wait', duration: 500 }] },
    ]);
  });

  it('stops waiting between tries when the task is cancelled', async () => {
    server.play([reply.error(503, 'overloaded', { 'retry-after': '30' }), reply.text('never')]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await provider()
      .generate({ ...request, signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(5_000);
    server.play([]);
  });

  it("drives the desktop with Gemini's computer use tool where the model has it", async () => {
    const gemini = createGemini({ apiKey: 'test-key', baseUrl: server.url, model: 'gemini-3.5-flash' });
    expect(gemini.computerTool).toEqual({
      tool: 'computer_use',
      description: "Gemini's computer use tool, desktop environment",
    });
    expect(gemini.screenshotLimit).toEqual({ maxLongEdge: 1440, maxPixels: 1440 * 900 });
    const tools = [
      {
        name: 'set_task_status',
        description: 'Ends the task.',
        inputSchema: { type: 'object', properties: {} },
      },
    ];
    server.play([
      reply.call(
        'click',
        { x: 500, y: 250, intent: 'Open the menu' },
        { id: 'cu-1', thoughtSignature: 'U0lHLWN1' },
      ),
    ]);
    const before = server.requests.length;
    const first = await gemini.generate({ ...request, tools, screen: { width: 1200, height: 900 } });
    expect(server.requests[before]?.body.tools).toEqual([
      { computerUse: { environment: 'ENVIRONMENT_DESKTOP' } },
      {
        functionDeclarations: [
          {
            name: 'set_task_status',
            description: 'Ends the task.',
            parametersJsonSchema: tools[0]?.inputSchema,
          },
        ],
      },
    ]);
    expect(first.toolCalls).toEqual([
      {
        kind: 'computer',
        id: 'cu-1',
        actions: [{ action: 'click_mouse', coordinates: { x: 600, y: 225 }, button: 'left', clickCount: 1 }],
        describe: 'Clicked at (600, 225)',
        alwaysScreenshot: true,
      },
    ]);
    // The stored call and its result go back; the strict server accepts them only in the documented form.
    server.play([reply.text('Done.')]);
    const second = await gemini.generate({
      ...request,
      tools,
      screen: { width: 1200, height: 900 },
      messages: [
        ...request.messages,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'cu-1',
              content: [
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              ],
            },
          ],
        },
      ],
    });
    expect(second.stopReason).toBe('end_turn');
    expect(server.refusals).toEqual([]);
    expect(server.requests.at(-1)?.body.contents.at(-1)?.parts).toEqual([
      {
        functionResponse: {
          name: 'click',
          id: 'cu-1',
          response: {},
          parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }],
        },
      },
    ]);
  });

  it('reports an unreachable server as retryable', async () => {
    const error = await createGemini({
      apiKey: 'test-key',
      baseUrl: 'http://127.0.0.1:9',
      model: 'gemini-2.5-flash',
      maxRetries: 0,
    })
      .generate(request)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({
      retryable: true,
      message: expect.stringContaining('could not reach the Gemini API'),
    });
  });
});
