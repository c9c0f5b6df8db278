import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AgentProcess, eventually, startAgentProcess } from './support/agent-process.ts';
import {
  type GeminiPart,
  type RecordedRequest,
  reply,
  type ScriptedGeminiServer,
  type ScriptStep,
  startScriptedGeminiServer,
} from './support/scripted-gemini-server.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

interface StoredBlock {
  type: string;
  id?: string;
  name?: string;
  summary?: string;
  tool_use_id?: string;
  is_error?: boolean;
  actions?: unknown[];
  content?: Array<{ type: string; text?: string }>;
}

interface StoredMessage {
  role: string;
  content: StoredBlock[];
}

interface TaskView {
  id: string;
  status: string;
  error: string | null;
}

/** Gemini 3.5's predefined functions we script here; the others are our function tools. */
const predefined = new Set(['take_screenshot', 'type', 'hotkey', 'wait', 'press_key']);

const lastTurn = (request: RecordedRequest | undefined): GeminiPart[] =>
  request?.body.contents.at(-1)?.parts ?? [];

const responsesOf = (request: RecordedRequest | undefined) =>
  lastTurn(request).flatMap((part) => (part.functionResponse ? [part.functionResponse] : []));

/** A call as Gemini 3.5 sends it: an id, a thought signature, and for a predefined function its intent. */
function call(name: string, args: Record<string, unknown>, id: string): ScriptStep {
  return reply.call(name, predefined.has(name) ? { ...args, intent: `step ${id}` } : args, {
    id,
    thoughtSignature: Buffer.from(`sig-${id}`).toString('base64'),
  });
}

/** Saving in Mousepad's dialog: Control+S, the dialog's time to open, the path, Enter, and done. */
function saveAs(path: string, prefix: string): ScriptStep[] {
  return [
    call('hotkey', { keys: ['Control', 's'] }, `${prefix}-save`),
    // The save dialog takes a moment to open; a real model waits too (two calls in one turn, each answered).
    reply.calls(
      { name: 'wait', args: { seconds: 2 }, id: `${prefix}-wait`, thoughtSignature: 'U0lHLXdhaXQ=' },
      { name: 'take_screenshot', args: {}, id: `${prefix}-peek` },
    ),
    call('type', { text: path }, `${prefix}-path`),
    // The file chooser loads the typed folder before it accepts Enter.
    call('wait', { seconds: 1 }, `${prefix}-settle`),
    call('press_key', { key: 'Enter' }, `${prefix}-enter`),
    call('wait', { seconds: 1 }, `${prefix}-saved`),
    call(
      'set_task_status',
      { status: 'completed', description: `Saved the sentence in ${path}` },
      `${prefix}-done`,
    ),
  ];
}

describe("a task carried out with Gemini's computer use tool (scripted) on the real desktop", () => {
  let test: TestDesktop;
  let model: ScriptedGeminiServer;
  let agent: AgentProcess | undefined;

  beforeAll(async () => {
    model = await startScriptedGeminiServer();
  });

  beforeEach(async () => {
    test = await startTestDesktop();
    agent = await startAgentProcess({
      bytebotdUrl: test.bytebotd.url,
      token: test.bytebotd.token as string,
      dataDirectory: mkdtempSync(join(tmpdir(), 'agent-gemini-computer-use-')),
      environment: {
        GEMINI_API_KEY: 'test-key',
        GEMINI_BASE_URL: model.url,
        GEMINI_MODEL: 'gemini-3.5-flash',
      },
    });
  });

  afterEach(async () => {
    await agent?.stop();
    await test?.stop();
  });

  afterAll(async () => {
    await model?.close();
  });

  async function task(description: string): Promise<string> {
    const created = await agent?.request<{ id: string }>('POST', '/tasks', { description, priority: 'HIGH' });
    expect(created?.status).toBe(201);
    return created?.body.id as string;
  }

  /** Waits for the task to stop; on a timeout, says where it stood and what the model server saw. */
  async function settled(id: string, statuses: string[]): Promise<TaskView> {
    let last: TaskView | undefined;
    try {
      return await eventually(
        `task ${id} to reach ${statuses.join(' or ')}`,
        async () => {
          const { body } = (await agent?.request<TaskView>('GET', `/tasks/${id}`)) ?? {};
          last = body;
          return body && ['COMPLETED', 'FAILED', 'NEEDS_HELP', 'CANCELLED'].includes(body.status)
            ? body
            : undefined;
        },
        120_000,
      );
    } catch (error) {
      const refusals = model.refusals.map((refusal) => refusal.message);
      throw new Error(
        `${(error as Error).message}: task ${JSON.stringify(last)}, ${model.requests.length} model requests, refusals ${JSON.stringify(refusals)}\n${agent?.output().slice(-3000)}`,
      );
    }
  }

  it('opens the editor with our tool, types with the native type action, and saves with a key combination', async () => {
    const sentence = `Gemini typed this on the desktop ${randomUUID().slice(0, 8)}.`;
    const path = join(test.desktop.user.home, `gemini-computer-use-${randomUUID()}.txt`);
    model.play([
      reply.call(
        'take_screenshot',
        { intent: 'See what is on the screen' },
        { say: 'I will look at the screen first.', id: 'cu-look', thoughtSignature: 'U0lHLWxvb2s=' },
      ),
      call('open_application', { application: 'text_editor' }, 'cu-open'),
      call('type', { text: sentence }, 'cu-type'),
      ...saveAs(path, 'cu'),
    ]);
    const before = model.requests.length;
    const { body: models } = (await agent?.request<unknown[]>('GET', '/tasks/models')) ?? {};
    expect(models).toEqual([
      expect.objectContaining({ provider: 'gemini', name: 'gemini-3.5-flash', default: true }),
    ]);

    const id = await task('Write a sentence into a new text file');
    const finished = await settled(id, ['COMPLETED']);
    expect(model.refusals.map((refusal) => refusal.message)).toEqual([]);
    expect(finished, agent?.output()).toMatchObject({ status: 'COMPLETED', error: null });

    // The effect on the desktop: the file holds the sentence, read back through bytebotd.
    const file = await test.bytebotd.client.readFile(path);
    expect(file.content.toString('utf8').trimEnd()).toBe(sentence);

    const requests = model.requests.slice(before);
    expect(requests).toHaveLength(10);
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
        if (predefined.has(response.name)) {
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
    const { body: messages } = (await agent?.request<StoredMessage[]>('GET', `/tasks/${id}/messages`)) ?? {};
    const calls = (messages ?? []).flatMap((message) =>
      message.content.filter((block) => block.type === 'tool_use'),
    );
    expect(calls.map((block) => block.summary)).toEqual(
      expect.arrayContaining(['Took a screenshot', `Typed ${JSON.stringify(sentence)}`, 'Pressed Control+s']),
    );
  }, 180_000);

  it('waits for a person when Gemini asks for confirmation, then runs the call and acknowledges it', async () => {
    const sentence = `Confirmed by a person ${randomUUID().slice(0, 8)}.`;
    const path = join(test.desktop.user.home, `gemini-confirmed-${randomUUID()}.txt`);
    const explanation = 'Typing into the document changes it; a person should agree first.';
    const risky = { text: sentence, safety_decision: { decision: 'require_confirmation', explanation } };
    model.play([
      call('open_application', { application: 'text_editor' }, 'cf-open'),
      call('type', risky, 'cf-held'),
      // After the person's reply the model asks for the action again, with the same decision.
      call('type', risky, 'cf-again'),
      ...saveAs(path, 'cf'),
    ]);
    const before = model.requests.length;
    const id = await task('Write a sentence into a new text file');

    const waiting = await settled(id, ['NEEDS_HELP']);
    expect(waiting, agent?.output()).toMatchObject({ status: 'NEEDS_HELP' });
    expect(waiting.error).toContain(explanation.replace(/\.$/, ''));
    expect(waiting.error).toContain('confirm');
    // Nothing of the held turn ran, and the model was not asked again.
    expect(model.requests.length - before).toBe(2);
    const { body: held } = (await agent?.request<StoredMessage[]>('GET', `/tasks/${id}/messages`)) ?? {};
    const heldResult = held?.at(-1)?.content.find((block) => block.tool_use_id === 'cf-held');
    expect(heldResult).toMatchObject({ type: 'tool_result', is_error: true });
    expect(heldResult?.content?.[0]?.text).toMatch(/^Not executed: a person was asked to confirm/);
    expect(heldResult?.actions).toBeUndefined();

    // The person agrees.
    const answered = await agent?.request('POST', `/tasks/${id}/messages`, { message: 'Yes, type it.' });
    expect(answered?.status).toBe(201);
    const finished = await settled(id, ['COMPLETED']);
    expect(model.refusals.map((refusal) => refusal.message)).toEqual([]);
    expect(finished, agent?.output()).toMatchObject({ status: 'COMPLETED', error: null });

    // Typed once: after the person's answer, not while the task waited.
    const file = await test.bytebotd.client.readFile(path);
    expect(file.content.toString('utf8').trimEnd()).toBe(sentence);

    const requests = model.requests.slice(before);
    // The held call: an error saying it did not run, no acknowledgement, no screenshot; the reply after it.
    expect(lastTurn(requests[2])).toEqual([
      {
        functionResponse: {
          name: 'type',
          id: 'cf-held',
          response: { error: expect.stringMatching(/^Not executed: a person was asked to confirm/) },
        },
      },
      { text: 'Yes, type it.' },
    ]);
    // The call sent again ran, and its response acknowledges the safety decision, with its screenshot.
    expect(responsesOf(requests[3])).toEqual([
      {
        name: 'type',
        id: 'cf-again',
        response: { safety_acknowledgement: 'true' },
        parts: [{ inlineData: { mimeType: 'image/webp', data: expect.stringMatching(/^UklGR/) } }],
      },
    ]);
    // No other response acknowledges anything.
    const acknowledged = requests.flatMap((request) =>
      responsesOf(request).filter((response) => 'safety_acknowledgement' in response.response),
    );
    expect(new Set(acknowledged.map((response) => response.id))).toEqual(new Set(['cf-again']));
  }, 180_000);
});
