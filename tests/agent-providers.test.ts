import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentMessage, type AgentTask, stoppedTaskStatuses } from '@bytebot/protocol';
import sharp from 'sharp';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  type AgentFixture,
  type ScriptedModelServers,
  type ScriptedProviderName,
  startAgentFixture,
} from './support/agent-fixture.ts';
import { toolResults, toolUses } from './support/conversation-blocks.ts';
import { call, predefinedFunctions, saveAs } from './support/gemini-computer-use-steps.ts';
import { clickAndType, saveInEditor } from './support/openai-computer-steps.ts';
import { reply as claude } from './support/scripted-anthropic-server.ts';
import {
  type GeminiPart,
  type RecordedRequest as GeminiRequest,
  reply as gemini,
} from './support/scripted-gemini-server.ts';
import {
  type RecordedRequest as ResponsesRequest,
  reply as responses,
} from './support/scripted-openai-responses-server.ts';
import { reply as openai, type RecordedMessage } from './support/scripted-openai-server.ts';

/*
 * One scenario, every provider's harness: the model looks at the screen, opens the text editor, types a
 * sentence, saves it under a path, and says it is done. The file on the desktop is the effect checked;
 * each row adds the checks of its own wire protocol and tool vocabulary.
 */

/** What the model is to write, and where. */
interface Note {
  sentence: string;
  path: string;
}

/** A run that completed, for a row's own checks. */
interface Run<Provider extends ScriptedProviderName> extends Note {
  fixture: AgentFixture<Provider>;
  id: string;
  messages: AgentMessage[];
}

interface ProviderRow<Provider extends ScriptedProviderName> {
  name: string;
  provider: Provider;
  /** The model's name, as GET /tasks/models lists it. */
  model: string;
  /** The provider's default model: not named in the agent's settings. */
  modelIsDefault?: boolean;
  storage?: 'embedded' | 'postgres';
  /** The provider and computer tool the agent lists for the model. */
  listed: { provider: string; tool: string };
  /** Model calls, from the first look to set_task_status. */
  turns: number;
  /** The name the first call is stored under. */
  firstCall: string;
  play(fixture: AgentFixture<Provider>, note: Note): void;
  /** What the stand-in refused as the real API would, in the API's words. */
  refused(model: ScriptedModelServers[Provider]): string[];
  /** The newest screenshot (base64) each request carried. */
  screens(model: ScriptedModelServers[Provider]): Array<string | undefined>;
  /** The checks of this provider's own: its wire protocol, its tool vocabulary, what is stored. */
  check(run: Run<Provider>): Promise<void>;
}

/** Keeps the screens the model saw in test-results/, to look at when a run goes wrong. */
function saveScreens(label: string, screens: Array<string | undefined>): void {
  mkdirSync('test-results', { recursive: true });
  const file = label.replace(/[^a-z0-9.]+/gi, '-').toLowerCase();
  screens.forEach((data, index) => {
    if (data) writeFileSync(`test-results/agent-${file}-step-${index}.png`, Buffer.from(data, 'base64'));
  });
}

async function writesTheSentence<Provider extends ScriptedProviderName>(
  row: ProviderRow<Provider>,
): Promise<void> {
  // A fresh desktop for each row: the editor left open by one run would change what the next one sees.
  const fixture = await startAgentFixture({
    provider: row.provider,
    ...(row.modelIsDefault ? {} : { model: row.model }),
    storage: row.storage ?? 'embedded',
  });
  onTestFinished(() => fixture.stop());
  const { agent, client, model } = fixture;
  const note: Note = {
    sentence: `The quick brown fox jumps over the lazy dog ${randomUUID().slice(0, 8)}.`,
    path: join(fixture.desktop.user.home, `agent-note-${randomUUID()}.txt`),
  };
  row.play(fixture, note);

  // The startup check: the storage, the desktop, and the configured model, alone, with its computer tool.
  const postgres = row.storage === 'postgres';
  const health = await client.health();
  expect(health).toMatchObject({
    status: 'ok',
    database: postgres ? 'postgres' : 'pglite',
    queue: postgres ? 'bullmq' : 'in-process',
    desktop: 'ok',
  });
  const listed = { provider: row.listed.provider, name: row.model, default: true, tool: row.listed.tool };
  expect(health.models).toEqual([listed]);
  expect(await client.models()).toEqual([
    { ...listed, title: `${row.model} (${row.listed.provider})`, toolDescription: expect.any(String) },
  ]);

  const created = await agent.request<AgentTask>('POST', '/tasks', {
    description: 'Write a sentence into a new text file',
    priority: 'HIGH',
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const finished = await client.waitForTask(id, stoppedTaskStatuses, { timeoutMs: 150_000 });
  saveScreens(row.name, row.screens(model));
  // Nothing the agent sent was refused by the stand-in's rules (the real API's).
  expect(row.refused(model), agent.output()).toEqual([]);
  expect(finished, agent.output()).toMatchObject({ status: 'COMPLETED', error: null });

  // The effect on the desktop: the file holds the sentence, read back through bytebotd.
  const file = await fixture.bytebotd.client.readFile(note.path);
  expect(file.content.toString('utf8').trimEnd()).toBe(note.sentence);

  // Every message stored, in order, alternating, with the screenshots in the tool results.
  const messages = await client.messages(id);
  expect(messages.map((message) => message.role)).toEqual([
    'user',
    ...Array.from({ length: row.turns }, () => ['assistant', 'user']).flat(),
  ]);
  const sequences = messages.map((message) => message.sequence);
  expect([...sequences].sort((first, second) => first - second)).toEqual(sequences);
  expect(toolUses(messages[1])[0]?.name).toBe(row.firstCall);
  expect(messages[2]?.content[0]?.type).toBe('tool_result');
  expect(toolResults(messages[2])[0]?.content[0]?.type).toBe('image');

  // The real SDK spoke the provider's API to the stand-in: one request per step.
  expect(model.requests).toHaveLength(row.turns);
  await row.check({ ...note, fixture, id, messages });

  // Usage is summed per task and returned by the API.
  expect(await client.getTask(id)).toMatchObject({
    inputTokens: row.turns * 1000,
    outputTokens: row.turns * 50,
  });
}

/** A row of the table, its provider's types kept inside. */
function row<Provider extends ScriptedProviderName>(definition: ProviderRow<Provider>) {
  return { name: definition.name, run: () => writesTheSentence(definition) };
}

/**
 * The default model (Claude Sonnet 5.5) takes the computer toolset and batches its actions; an older model
 * (Sonnet 4.6) takes the beta tool, one action a turn, on a picture scaled to 1238x928.
 */
function claudeRow(
  name: string,
  model: 'claude-sonnet-5-5' | 'claude-sonnet-4-6',
  storage: 'embedded' | 'postgres',
) {
  const batched = model === 'claude-sonnet-5-5';
  return row({
    name,
    provider: 'anthropic',
    model,
    storage,
    listed: { provider: 'anthropic', tool: batched ? 'computer_toolset_20260801' : 'computer_20251124' },
    turns: batched ? 6 : 10,
    firstCall: batched ? 'screenshot' : 'computer',
    play: ({ model: server }, { sentence, path }) =>
      server.play(
        batched
          ? [
              claude.computer({ action: 'screenshot' }, 'I will start by looking at the screen.'),
              claude.tool('open_application', { application: 'text_editor' }),
              // A batch: type, save, and wait for the dialog, in one turn.
              claude.batch([
                { action: 'type', text: sentence },
                { action: 'key', text: 'ctrl+s' },
                { action: 'wait', duration: 1.5 },
              ]),
              // The file chooser loads the typed folder before it accepts Return.
              claude.batch([
                { action: 'type', text: path },
                { action: 'wait', duration: 1 },
                { action: 'key', text: 'Return' },
                { action: 'wait', duration: 1 },
              ]),
              // A zoom on the top-left quarter comes back enlarged to fill the picture, and no larger.
              claude.computer({ action: 'zoom', region: [0, 0, 639, 479] }),
              claude.tool('set_task_status', {
                status: 'completed',
                description: `Saved the sentence in ${path}`,
              }),
            ]
          : [
              claude.computer({ action: 'screenshot' }, 'I will start by looking at the screen.'),
              claude.tool('open_application', { application: 'text_editor' }),
              claude.computer({ action: 'type', text: sentence }),
              claude.computer({ action: 'key', text: 'ctrl+s' }),
              // The save dialog takes a moment to open; a real model waits too.
              claude.computer({ action: 'wait', duration: 1.5 }),
              claude.computer({ action: 'type', text: path }),
              claude.computer({ action: 'wait', duration: 1 }),
              claude.computer({ action: 'key', text: 'Return' }),
              claude.computer({ action: 'wait', duration: 1 }),
              claude.tool('set_task_status', {
                status: 'completed',
                description: `Saved the sentence in ${path}`,
              }),
            ],
      ),
    refused: (server) => server.refused.map((refusal) => refusal.message),
    screens: (server) =>
      server.requests.map(
        (request) =>
          JSON.stringify(request.body.messages.at(-1)?.content ?? []).match(
            /"data":"([A-Za-z0-9+/=]+)"/,
          )?.[1],
      ),
    check: async ({ fixture, id, messages }) => {
      const requests = fixture.model.requests;
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
        expect(messages[6]?.content.map((block) => block.type)).toEqual([
          'tool_result',
          'tool_result',
          'tool_result',
        ]);
        const batchResults = toolResults(messages[6]);
        expect(batchResults.map((block) => block.toolset_name)).toEqual(['computer', 'computer', 'computer']);
        expect(batchResults.map((block) => block.content.map((part) => part.type))).toEqual([
          ['text'],
          ['text'],
          ['image'],
        ]);
        const zoomed = JSON.stringify(messages[10]).match(/"id":"([0-9a-f]{64}\.png)"/)?.[1];
        expect(zoomed).toBeDefined();
        const served = await fixture.client.screenshot(id, zoomed as string);
        const zoom = await sharp(served.data).metadata();
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
    },
  });
}

function imageParts(message: RecordedMessage | undefined): Array<{ image_url: { url: string } }> {
  if (!Array.isArray(message?.content)) return [];
  return message.content.filter((part) => part.type === 'image_url') as Array<{ image_url: { url: string } }>;
}

/** Chat Completions with our computer actions as function tools: OpenAI's older models, and local servers. */
function chatCompletionsRow(
  name: string,
  provider: 'openai' | 'openai-compatible',
  model: string,
  authorization: string,
) {
  return row({
    name,
    provider,
    model,
    listed: { provider, tool: 'function tools' },
    turns: 10,
    firstCall: 'screenshot',
    play: ({ model: server }, { sentence, path }) =>
      server.play([
        openai.tool('screenshot', {}, 'I will start by looking at the screen.'),
        openai.tool('open_application', { application: 'text_editor' }),
        openai.tool('type_text', { text: sentence }),
        openai.tool('type_keys', { keys: ['ctrl', 's'] }),
        // The save dialog takes a moment to open; a real model waits too.
        openai.tool('wait', { duration: 1500 }),
        openai.tool('type_text', { text: path }),
        // The file chooser loads the typed folder before it accepts Return.
        openai.tool('wait', { duration: 1000 }),
        openai.tool('type_keys', { keys: ['Return'] }),
        openai.tool('wait', { duration: 1000 }),
        openai.tool('set_task_status', { status: 'completed', description: `Saved the sentence in ${path}` }),
      ]),
    // This stand-in checks no rules of the API beyond its route.
    refused: () => [],
    screens: (server) =>
      server.requests.map(
        (request) => imageParts(request.body.messages.at(-1))[0]?.image_url.url.split(',')[1],
      ),
    check: async ({ fixture, messages, sentence }) => {
      expect(toolUses(messages[5])[0]).toMatchObject({ name: 'type_text', summary: expect.any(String) });
      const requests = fixture.model.requests;
      const first = requests[0];
      expect(first?.path).toBe('/v1/chat/completions');
      expect(first?.headers.authorization).toBe(authorization);
      expect(first?.body.model).toBe(model);
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
      const typed = assistant?.tool_calls?.[0];
      expect(typed).toMatchObject({ type: 'function', function: { name: 'type_text' } });
      expect(JSON.parse(typed?.function.arguments ?? '{}')).toEqual({ text: sentence });
      expect(JSON.stringify(assistant)).not.toContain('summary');
      expect(fourth.at(-2)).toEqual({
        role: 'tool',
        tool_call_id: typed?.id,
        content: 'The screenshot after this action follows.',
      });
      const screenshot = fourth.at(-1);
      expect(screenshot?.role).toBe('user');
      // JPEG for Chat Completions: OpenAI-compatible servers do not all read WebP.
      expect(imageParts(screenshot)[0]?.image_url.url).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    },
  });
}

const lastTurn = (request: GeminiRequest | undefined): GeminiPart[] =>
  request?.body.contents.at(-1)?.parts ?? [];

const responsesOf = (request: GeminiRequest | undefined) =>
  lastTurn(request).flatMap((part) => (part.functionResponse ? [part.functionResponse] : []));

const geminiScreens = (requests: GeminiRequest[]) =>
  requests.map((request) => lastTurn(request).find((part) => part.inlineData)?.inlineData?.data);

/** Gemini 2.x: our computer actions as function declarations, calls without ids or signatures. */
const geminiFunctionsRow = row({
  name: 'Gemini 2.5 Flash with function tools',
  provider: 'gemini',
  model: 'gemini-2.5-flash',
  listed: { provider: 'gemini', tool: 'function tools' },
  turns: 10,
  firstCall: 'screenshot',
  play: ({ model: server }, { sentence, path }) =>
    server.play([
      gemini.call('screenshot', {}, { say: 'I will start by looking at the screen.' }),
      // Gemini 3 sends an id and a thought signature with its calls; Gemini 2.x sends neither. Both kinds here.
      gemini.call(
        'open_application',
        { application: 'text_editor' },
        { id: 'gm-open-1', thoughtSignature: 'U0lHLW9wZW4=' },
      ),
      gemini.call('type_text', { text: sentence }),
      gemini.call('type_keys', { keys: ['ctrl', 's'] }),
      // The save dialog takes a moment to open; a real model waits too.
      gemini.call('wait', { duration: 1500 }),
      gemini.call('type_text', { text: path }),
      // The file chooser loads the typed folder before it accepts Return.
      gemini.call('wait', { duration: 1000 }),
      gemini.call('type_keys', { keys: ['Return'] }),
      gemini.call('wait', { duration: 1000 }),
      gemini.call('set_task_status', { status: 'completed', description: `Saved the sentence in ${path}` }),
    ]),
  refused: (server) => server.refusals.map((refusal) => refusal.message),
  screens: (server) => geminiScreens(server.requests),
  check: async ({ fixture, messages }) => {
    expect(toolUses(messages[1])[0]?.id).toMatch(/^call_\d+_[0-9a-f]{8}$/);
    expect(toolUses(messages[3])[0]?.id).toBe('gm-open-1');

    const requests = fixture.model.requests;
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
      const called = request.body.contents.at(-2)?.parts.find((part) => part.functionCall)?.functionCall;
      const [response, screenshot] = lastTurn(request);
      expect(response?.functionResponse?.name).toBe(called?.name);
      expect(screenshot?.inlineData?.mimeType).toBe('image/webp');
      expect(JSON.stringify(request.body)).not.toMatch(/"summary"|call_\d+_[0-9a-f]{8}|providerMetadata/);
    }
  },
});

/** Gemini 3.5: the native computer use tool and its predefined functions, with our functions beside it. */
const geminiComputerUseRow = row({
  name: "Gemini 3.5 Flash with Gemini's computer use",
  provider: 'gemini',
  model: 'gemini-3.5-flash',
  listed: { provider: 'gemini', tool: 'computer_use' },
  turns: 10,
  firstCall: 'take_screenshot',
  play: ({ model: server }, { sentence, path }) =>
    server.play([
      gemini.call(
        'take_screenshot',
        { intent: 'See what is on the screen' },
        { say: 'I will look at the screen first.', id: 'cu-look', thoughtSignature: 'U0lHLWxvb2s=' },
      ),
      call('open_application', { application: 'text_editor' }, 'cu-open'),
      call('type', { text: sentence }, 'cu-type'),
      ...saveAs(path, 'cu'),
    ]),
  refused: (server) => server.refusals.map((refusal) => refusal.message),
  screens: (server) => geminiScreens(server.requests),
  check: async ({ fixture, messages, sentence }) => {
    const requests = fixture.model.requests;
    // The native tool for the desktop, our own functions beside it, none of our computer actions.
    const tools = requests[0]?.body.tools ?? [];
    expect(tools[0]).toEqual({ computerUse: { environment: 'ENVIRONMENT_DESKTOP' } });
    const declared = (tools[1]?.functionDeclarations ?? []).map((declaration) => declaration.name);
    expect(declared).toEqual(expect.arrayContaining(['open_application', 'set_task_status']));
    expect(declared).not.toEqual(expect.arrayContaining(['click_mouse']));
    expect(declared).not.toContain('type_text');

    // The model's turn goes back as it was sent, its thought signature with it.
    expect(requests[1]?.body.contents[1]?.parts).toEqual([
      { text: 'I will look at the screen first.' },
      {
        functionCall: {
          name: 'take_screenshot',
          args: { intent: 'See what is on the screen' },
          id: 'cu-look',
        },
        thoughtSignature: 'U0lHLWxvb2s=',
      },
    ]);
    // Each predefined function is answered with its own screenshot inside its response, and no url;
    // our open_application is answered in JSON with the screenshot beside it.
    for (const request of requests.slice(1)) {
      for (const response of responsesOf(request)) {
        if (predefinedFunctions.has(response.name)) {
          expect(response.parts, response.name).toEqual([
            { inlineData: { mimeType: 'image/webp', data: expect.stringMatching(/^UklGR/) } },
          ]);
          expect(response.response).toEqual({});
        } else {
          expect(response.parts).toBeUndefined();
        }
      }
      expect(JSON.stringify(request.body)).not.toMatch(/"url"|"summary"|providerMetadata/);
    }
    expect(lastTurn(requests[2])).toEqual([
      {
        functionResponse: {
          name: 'open_application',
          id: 'cu-open',
          response: { output: expect.any(String) },
        },
      },
      { inlineData: { mimeType: 'image/webp', data: expect.stringMatching(/^UklGR/) } },
    ]);
    // Two calls in one turn, two responses, each with its screenshot.
    expect(responsesOf(requests[5]).map((response) => [response.id, response.parts?.length])).toEqual([
      ['cu-wait', 1],
      ['cu-peek', 1],
    ]);

    // What a person reads in the conversation.
    const summaries = messages.flatMap((message) => toolUses(message).map((block) => block.summary));
    expect(summaries).toEqual(
      expect.arrayContaining(['Took a screenshot', `Typed ${JSON.stringify(sentence)}`, 'Pressed Control+s']),
    );
  },
});

// biome-ignore lint/suspicious/noExplicitAny: items of the recorded request, read freely.
type Item = Record<string, any>;

const inputOf = (request: ResponsesRequest | undefined): Item[] =>
  (request?.body.input as Item[] | undefined) ?? [];

/** OpenAI's Responses API and its computer tool: gpt-5.5, the default OpenAI model, batches its actions. */
const openaiComputerRow = row({
  name: "GPT-5.5 with OpenAI's computer tool",
  provider: 'openai-responses',
  model: 'gpt-5.5',
  modelIsDefault: true,
  listed: { provider: 'openai', tool: 'computer' },
  turns: 6,
  firstCall: 'computer',
  play: ({ model: server, desktop }, { sentence, path }) =>
    server.play([
      responses.computer([{ type: 'screenshot' }], { say: 'I will look at the screen first.' }),
      responses.function('open_application', { application: 'text_editor' }),
      clickAndType(desktop, sentence),
      ...saveInEditor(path),
      responses.function('set_task_status', {
        status: 'completed',
        description: `Saved the sentence in ${path}`,
      }),
    ]),
  refused: (server) => server.rejected.map((entry) => entry.error.message),
  screens: (server) =>
    server.requests.map(
      (request) =>
        String(
          inputOf(request).findLast((item) => item.type === 'computer_call_output')?.output?.image_url ?? '',
        ).split(',')[1],
    ),
  check: async ({ fixture, messages }) => {
    const requests = fixture.model.requests;
    expect(requests[0]?.headers.authorization).toBe('Bearer sk-test');
    // Each request the whole conversation, statelessly, with the computer tool.
    expect(requests[0]?.body).toMatchObject({
      model: 'gpt-5.5',
      store: false,
      include: ['reasoning.encrypted_content'],
      tools: expect.arrayContaining([
        { type: 'computer' },
        expect.objectContaining({ type: 'function', name: 'set_task_status' }),
        expect.objectContaining({ type: 'function', name: 'open_application' }),
      ]),
    });
    // The batched call came back as it was sent, answered by the screenshot after both actions.
    const fourth = inputOf(requests[3]);
    const batched = fourth.findLast((item) => item.type === 'computer_call');
    expect(batched?.actions.map((action: Item) => action.type)).toEqual(['click', 'type']);
    expect(fourth.at(-1)).toEqual({
      type: 'computer_call_output',
      call_id: batched?.call_id,
      output: {
        type: 'computer_screenshot',
        image_url: expect.stringMatching(/^data:image\/webp;base64,UklGR/),
        detail: 'original',
      },
    });

    // Stored: the batch as one tool_use with a line a person reads, answered by one screenshot.
    expect(toolUses(messages[5])[0]).toMatchObject({
      name: 'computer',
      summary: expect.stringMatching(/^Clicked at \(\d+, \d+\), then typed "The quick/),
    });
    const typedResult = toolResults(messages[6])[0];
    expect(typedResult?.content.map((part) => part.type)).toEqual(['image']);
    expect(typedResult?.actions).toHaveLength(2);
  },
});

const rows = [
  claudeRow('Claude Sonnet 5.5 with the computer toolset, on PGlite', 'claude-sonnet-5-5', 'embedded'),
  // The loop on PostgreSQL and BullMQ too (once: the storage is not the provider's business).
  claudeRow(
    'Claude Sonnet 5.5 with the computer toolset, on PostgreSQL and BullMQ',
    'claude-sonnet-5-5',
    'postgres',
  ),
  claudeRow('Claude Sonnet 4.6 with the beta computer tool', 'claude-sonnet-4-6', 'embedded'),
  chatCompletionsRow('OpenAI Chat Completions with function tools', 'openai', 'gpt-test', 'Bearer sk-test'),
  chatCompletionsRow('an OpenAI-compatible server', 'openai-compatible', 'local-model', 'Bearer not-needed'),
  openaiComputerRow,
  geminiFunctionsRow,
  geminiComputerUseRow,
];

describe('a task carried out by the model of each provider (scripted) on the real desktop', () => {
  // A loop rather than it.each: the rows' names read whole in the report.
  for (const { name, run } of rows) it(`${name}: writes the sentence into a file`, run, 240_000);
});
