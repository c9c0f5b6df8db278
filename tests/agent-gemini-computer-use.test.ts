import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type AgentMessage, type AgentTask, stoppedTaskStatuses } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { toolResults } from './support/conversation-blocks.ts';
import { call, saveAs } from './support/gemini-computer-use-steps.ts';
import type { GeminiPart, RecordedRequest } from './support/scripted-gemini-server.ts';

const lastTurn = (request: RecordedRequest | undefined): GeminiPart[] =>
  request?.body.contents.at(-1)?.parts ?? [];

const responsesOf = (request: RecordedRequest | undefined) =>
  lastTurn(request).flatMap((part) => (part.functionResponse ? [part.functionResponse] : []));

// The whole task on the real desktop with the computer use tool: a row of agent-providers.test.ts.
describe("Gemini's computer use tool (scripted) on the real desktop, asking a person to confirm", () => {
  let fixture: AgentFixture<'gemini'>;

  beforeAll(async () => {
    fixture = await startAgentFixture({ provider: 'gemini', model: 'gemini-3.5-flash' });
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  /** Waits for the task to stop; on a timeout, says where it stood and what the model server saw. */
  async function settled(id: string): Promise<AgentTask> {
    const { agent, client, model } = fixture;
    try {
      return await client.waitForTask(id, stoppedTaskStatuses, { timeoutMs: 120_000 });
    } catch (error) {
      const refusals = model.refusals.map((refusal) => refusal.message);
      const last = await client.getTask(id).catch(() => undefined);
      throw new Error(
        `${(error as Error).message}: task ${JSON.stringify(last)}, ${model.requests.length} model requests, refusals ${JSON.stringify(refusals)}\n${agent.output().slice(-3000)}`,
      );
    }
  }

  it('waits for a person when Gemini asks for confirmation, then runs the call and acknowledges it', async () => {
    const { agent, client, model } = fixture;
    const sentence = `Confirmed by a person ${randomUUID().slice(0, 8)}.`;
    const path = join(fixture.desktop.user.home, `gemini-confirmed-${randomUUID()}.txt`);
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
    const created = await agent.request<AgentTask>('POST', '/tasks', {
      description: 'Write a sentence into a new text file',
      priority: 'HIGH',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const waiting = await settled(id);
    expect(waiting, agent.output()).toMatchObject({ status: 'NEEDS_HELP' });
    expect(waiting.error).toContain(explanation.replace(/\.$/, ''));
    expect(waiting.error).toContain('confirm');
    // Nothing of the held turn ran, and the model was not asked again.
    expect(model.requests.length - before).toBe(2);
    const held = await client.messages(id);
    const heldResult = toolResults(held.at(-1)).find((block) => block.tool_use_id === 'cf-held');
    expect(heldResult).toMatchObject({ type: 'tool_result', is_error: true });
    expect(heldResult?.content[0]).toMatchObject({
      type: 'text',
      text: expect.stringMatching(/^Not executed: a person was asked to confirm/),
    });
    expect(heldResult?.actions).toBeUndefined();

    // The person agrees.
    const answered = await agent.request<AgentMessage>('POST', `/tasks/${id}/messages`, {
      message: 'Yes, type it.',
    });
    expect(answered.status).toBe(201);
    const finished = await settled(id);
    expect(model.refusals.map((refusal) => refusal.message)).toEqual([]);
    expect(finished, agent.output()).toMatchObject({ status: 'COMPLETED', error: null });

    // Typed once: after the person's answer, not while the task waited.
    const file = await fixture.bytebotd.client.readFile(path);
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
