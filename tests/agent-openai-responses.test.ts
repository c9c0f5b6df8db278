import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelCatalog, type ModelProvider, type ModelRequest } from '@bytebot/agent';
import {
  type AgentMessage,
  type ContentBlock,
  finishedTaskStatuses,
  stoppedTaskStatuses,
} from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { toolResults } from './support/conversation-blocks.ts';
import { clickAndType, saveInEditor } from './support/openai-computer-steps.ts';
import {
  type RecordedRequest,
  reply,
  type SafetyCheckSpec,
  type ScriptedOpenAIResponsesServer,
  type ScriptStep,
  startScriptedOpenAIResponsesServer,
} from './support/scripted-openai-responses-server.ts';

/** A 1x1 PNG, a screenshot as far as the stand-in is concerned. */
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';
const screenshotBlock = {
  type: 'image' as const,
  source: { type: 'base64' as const, media_type: 'image/png' as const, data: png },
};

/** The words OpenAI's safety service writes (the Azure guide's example). */
const maliciousInstructions: SafetyCheckSpec = {
  code: 'malicious_instructions',
  message:
    "We've detected instructions that may cause your application to perform malicious or unauthorized actions. Please acknowledge this warning if you'd like to proceed.",
};

// biome-ignore lint/suspicious/noExplicitAny: items of the recorded request, read freely.
type Item = Record<string, any>;

const inputOf = (request: RecordedRequest | undefined): Item[] =>
  (request?.body.input as Item[] | undefined) ?? [];

function providerFor(environment: Record<string, string>): ModelProvider {
  const resolved = new ModelCatalog(environment).resolve(null);
  if ('error' in resolved) throw new Error(resolved.error);
  return resolved.provider;
}

const ask: ModelRequest = {
  system: 'You are Bytebot.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
  tools: [
    {
      name: 'set_task_status',
      description: 'Ends the task.',
      inputSchema: { properties: { status: { type: 'string' } }, required: ['status'] },
    },
  ],
  screen: { width: 1280, height: 960 },
  maxOutputTokens: 2048,
};

describe('the OpenAI Responses adapter through the real SDK against the stand-in', () => {
  let model: ScriptedOpenAIResponsesServer;
  let environment: Record<string, string>;

  beforeAll(async () => {
    model = await startScriptedOpenAIResponsesServer();
    environment = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${model.url}/v1` };
  });

  afterAll(async () => {
    await model?.close();
  });

  it('takes gpt-5.5 by default, with the computer tool, and speaks the Responses API statelessly', async () => {
    const provider = providerFor(environment);
    expect(provider).toMatchObject({
      provider: 'openai',
      model: 'gpt-5.5',
      computerTool: { tool: 'computer' },
      screenshotLimit: { maxLongEdge: 1600, maxPixels: 1_440_000 },
    });
    model.play([reply.message('Hello.')]);
    const before = model.requests.length;
    const response = await provider.generate(ask);
    expect(response).toMatchObject({
      content: [
        { type: 'thinking', signature: expect.stringMatching(/^gAAAAA/), id: expect.stringMatching(/^rs_/) },
        { type: 'text', text: 'Hello.' },
      ],
      toolCalls: [],
      stopReason: 'end_turn',
      usage: { inputTokens: 1000, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
    const [request] = model.requests.slice(before);
    expect(request?.path).toBe('/v1/responses');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.body).toEqual({
      model: 'gpt-5.5',
      instructions: 'You are Bytebot.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Say hello' }] }],
      tools: [
        { type: 'computer' },
        {
          type: 'function',
          name: 'set_task_status',
          description: 'Ends the task.',
          parameters: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
          strict: false,
        },
      ],
      store: false,
      include: ['reasoning.encrypted_content'],
      max_output_tokens: 2048,
    });
  });

  it("keeps a whole conversation the stand-in's rules accept: reasoning, calls, held and confirmed safety checks", async () => {
    const provider = providerFor(environment);
    const messages: ModelRequest['messages'] = [...ask.messages];
    const rejectedBefore = model.rejected.length;
    const step = async (step: ScriptStep, answer: (content: ContentBlock[]) => ContentBlock[]) => {
      model.play([step]);
      const response = await provider.generate({ ...ask, messages });
      messages.push({ role: 'assistant', content: response.content });
      const answered = answer(response.content);
      if (answered.length > 0) messages.push({ role: 'user', content: answered });
      return response;
    };
    const idOf = (content: ContentBlock[]) =>
      (content.find((block) => block.type === 'tool_use') as { id: string }).id;
    const ran = { actions: [{ action: 'wait', duration: 0 }], durationMs: 30 };

    const looked = await step(reply.computer([{ type: 'screenshot' }]), (content) => [
      { type: 'tool_result', tool_use_id: idOf(content), content: [screenshotBlock], ...ran },
    ]);
    expect(looked.toolCalls).toEqual([
      {
        kind: 'computer',
        id: idOf(looked.content),
        actions: [],
        describe: 'Took a screenshot',
        alwaysScreenshot: true,
      },
    ]);

    await step(
      reply.function('open_application', { application: 'text_editor' }, 'Opening the editor.'),
      (content) => [{ type: 'tool_result', tool_use_id: idOf(content), content: [screenshotBlock] }],
    );

    const held = await step(
      reply.computer([{ type: 'type', text: 'secret' }], {
        safetyChecks: [maliciousInstructions],
        held: true,
      }),
      (content) => [
        {
          type: 'tool_result',
          tool_use_id: idOf(content),
          content: [{ type: 'text', text: 'Not executed: a person was asked to confirm this action first.' }],
          is_error: true,
        },
        { type: 'text', text: 'Yes, go ahead.' },
      ],
    );
    expect(held.toolCalls[0]).toMatchObject({
      kind: 'computer',
      confirm: maliciousInstructions.message.replace(/\.$/, ''),
    });

    await step(
      reply.computer([{ type: 'type', text: 'secret' }], { safetyChecks: [maliciousInstructions] }),
      (content) => [{ type: 'tool_result', tool_use_id: idOf(content), content: [screenshotBlock], ...ran }],
    );

    const done = await step(reply.message('Typed it.'), () => []);
    expect(done.content.at(-1)).toEqual({ type: 'text', text: 'Typed it.' });
    expect(model.rejected.slice(rejectedBefore).map((entry) => entry.error.message)).toEqual([]);

    // The last request carries every item back: 4 reasoning items, 4 calls, 4 outputs, and the words.
    const input = inputOf(model.requests.at(-1));
    expect(input.filter((item) => item.type === 'reasoning')).toHaveLength(4);
    const outputs = input.filter((item) => item.type === 'computer_call_output');
    expect(outputs.map((item) => item.acknowledged_safety_checks?.length ?? 0)).toEqual([0, 0, 1]);
    expect(input.find((item) => item.type === 'function_call_output')?.output).toEqual([
      { type: 'input_image', image_url: `data:image/png;base64,${png}`, detail: 'original' },
    ]);
  });

  it('names the key on a 401, gives up on a 400 with the API words, and retries 429 and 5xx', async () => {
    const provider = providerFor(environment);
    model.play([
      reply.error(401, 'invalid_request_error', 'Incorrect API key provided: sk-test.', 'invalid_api_key'),
      reply.error(400, 'invalid_request_error', "Invalid 'input[3].output': broken.", null),
      reply.error(429, 'requests', 'Rate limit reached for gpt-5.5.', 'rate_limit_exceeded'),
      reply.error(500, 'server_error', 'The server had an error.'),
      reply.message('Made it.'),
    ]);
    await expect(provider.generate(ask)).rejects.toMatchObject({
      name: 'ModelError',
      status: 401,
      retryable: false,
      message: expect.stringMatching(/check OPENAI_API_KEY\. Incorrect API key provided/),
    });
    await expect(provider.generate(ask)).rejects.toMatchObject({
      status: 400,
      retryable: false,
      message: "OpenAI API error (400): Invalid 'input[3].output': broken.",
    });
    expect((await provider.generate(ask)).content.at(-1)).toEqual({ type: 'text', text: 'Made it.' });
  });

  it('keeps Chat Completions and function tools for models before the computer tool and for compatible servers', () => {
    expect(providerFor({ ...environment, OPENAI_MODEL: 'gpt-test' }).computerTool.tool).toBe(
      'function tools',
    );
    expect(providerFor({ ...environment, OPENAI_MODEL: 'gpt-4.1' }).computerTool.tool).toBe('function tools');
    expect(
      providerFor({ OPENAI_COMPATIBLE_BASE_URL: `${model.url}/v1`, OPENAI_COMPATIBLE_MODEL: 'gpt-5.5' })
        .computerTool.tool,
    ).toBe('function tools');
  });
});

// The whole task on the real desktop with the computer tool, batched: a row of agent-providers.test.ts.
describe('an OpenAI computer-use model (scripted) on the real desktop, held by its safety checks', () => {
  let fixture: AgentFixture<'openai-responses'>;

  beforeAll(async () => {
    fixture = await startAgentFixture({ provider: 'openai-responses' });
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  /** Keeps the screens the model saw in test-results/, to look at when a run goes wrong. */
  function saveScreens(requests: RecordedRequest[], label: string): void {
    mkdirSync('test-results', { recursive: true });
    requests.forEach((request, index) => {
      const output = inputOf(request).findLast((item) => item.type === 'computer_call_output');
      const data = String(output?.output?.image_url ?? '').split(',')[1];
      if (data)
        writeFileSync(
          `test-results/agent-openai-responses-${label}-step-${index}.png`,
          Buffer.from(data, 'base64'),
        );
    });
  }

  it('holds a call with pending safety checks for a person, then runs it and acknowledges them', async () => {
    const { agent, client, model, desktop } = fixture;
    const sentence = `Confirmed by a person ${randomUUID().slice(0, 8)}.`;
    const path = join(desktop.user.home, `agent-confirmed-${randomUUID()}.txt`);
    model.play([
      reply.function('open_application', { application: 'text_editor' }),
      clickAndType(desktop, sentence, { safetyChecks: [maliciousInstructions], held: true }),
    ]);
    const before = model.requests.length;
    const rejectedBefore = model.rejected.length;
    const { id } = await client.createTask({
      description: 'Type a sentence into a new text file and save it',
    });

    // The task waits for a person, with the check's own words; nothing of the held call ran.
    const waiting = await client.waitForTask(id, stoppedTaskStatuses, { timeoutMs: 150_000 });
    expect(waiting.status, agent.output()).toBe('NEEDS_HELP');
    expect(waiting.error).toContain(maliciousInstructions.message.replace(/\.$/, ''));
    expect(model.requests.length - before).toBe(2);
    const heldResult = toolResults((await client.messages(id)).at(-1))[0];
    expect(heldResult).toMatchObject({
      is_error: true,
      content: [{ type: 'text', text: expect.stringMatching(/^Not executed/) }],
    });
    expect(heldResult?.actions).toBeUndefined();

    // The person says go; the model asks again, with the checks; this time it runs, and its output
    // acknowledges them (the stand-in refuses the request otherwise).
    model.play([
      clickAndType(desktop, sentence, { safetyChecks: [maliciousInstructions] }),
      ...saveInEditor(path),
      reply.function('set_task_status', { status: 'completed', description: 'Saved.' }),
    ]);
    const answered = await agent.request<AgentMessage>('POST', `/tasks/${id}/messages`, {
      message: 'Yes, go ahead.',
    });
    expect(answered.status).toBe(201);
    const finished = await client.waitForTask(id, finishedTaskStatuses, { timeoutMs: 150_000 });
    const requests = model.requests.slice(before);
    saveScreens(requests, 'confirmed');
    expect(
      model.rejected.slice(rejectedBefore).map((entry) => entry.error.message),
      agent.output(),
    ).toEqual([]);
    expect(finished, agent.output()).toMatchObject({ status: 'COMPLETED', error: null });
    expect(requests).toHaveLength(6);

    // The request after the person's reply: the held call answered with the screen as it was, not
    // acknowledged, and the words: it did not run, then the person's answer.
    const third = inputOf(requests[2]);
    const heldCall = third.find((item) => item.type === 'computer_call');
    const heldOutput = third.find(
      (item) => item.type === 'computer_call_output' && item.call_id === heldCall?.call_id,
    );
    expect(heldCall?.pending_safety_checks).toEqual([expect.objectContaining(maliciousInstructions)]);
    expect(heldOutput?.acknowledged_safety_checks).toBeUndefined();
    expect(third.at(-1)).toEqual({
      role: 'user',
      content: [
        {
          type: 'input_text',
          text: expect.stringMatching(/^Computer call call_\w+: Not executed: a person was asked to confirm/),
        },
        { type: 'input_text', text: 'Yes, go ahead.' },
      ],
    });
    // The confirmed call ran; its output acknowledges exactly its checks.
    const fourth = inputOf(requests[3]);
    const confirmed = fourth.findLast((item) => item.type === 'computer_call');
    expect(fourth.at(-1)).toMatchObject({
      type: 'computer_call_output',
      call_id: confirmed?.call_id,
      acknowledged_safety_checks: confirmed?.pending_safety_checks,
    });

    // Typed once: the held call never reached the desktop.
    const file = await fixture.bytebotd.client.readFile(path);
    expect(file.content.toString('utf8').trimEnd()).toBe(sentence);
  }, 240_000);
});
