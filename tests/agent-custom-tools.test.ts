import { finishedTaskStatuses } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { eventually } from './support/agent-process.ts';
import { reply } from './support/scripted-anthropic-server.ts';

const examples = new URL('../packages/agent/examples/tools', import.meta.url).pathname;

describe('custom tools loaded from a folder', () => {
  let fixture: AgentFixture;

  beforeAll(async () => {
    fixture = await startAgentFixture({
      desktop: { session: 'none' },
      environment: { BYTEBOT_TOOLS_DIR: examples },
    });
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('offers the example tool to the model and puts its result in the conversation', async () => {
    const { bytebotd, client, model } = fixture;
    await bytebotd.client.writeFile('Documents/words.txt', 'one two three\nfour');
    model.play([
      reply.tool('word_count', { path: 'Documents/words.txt' }),
      reply.tool('set_task_status', { status: 'completed', description: 'Counted.' }),
    ]);
    const before = model.requests.length;
    const task = await client.createTask({ description: 'Count the words' });
    const finished = await client.waitForTask(task.id, finishedTaskStatuses, { timeoutMs: 60_000 });
    expect(finished.status).toBe('COMPLETED');
    const offered = model.requests[before]?.body.tools?.find((tool) => tool.name === 'word_count');
    expect(offered).toMatchObject({
      input_schema: { type: 'object', properties: { path: { type: 'string' } } },
    });
    expect(JSON.stringify(model.requests[before + 1]?.body.messages.at(-1))).toContain(
      'has 4 words on 2 lines',
    );
    const messages = await client.messages(task.id);
    expect(JSON.stringify(messages[2]?.content)).toContain('has 4 words on 2 lines');
  });

  it('answers a call with bad input as a tool error naming the field', async () => {
    const { client, model } = fixture;
    model.play([
      reply.tool('word_count', { path: 42 }),
      reply.tool('set_task_status', { status: 'completed', description: 'Gave up.' }),
    ]);
    const before = model.requests.length;
    await client.createTask({ description: 'Count the words badly' });
    await eventually('the second request', async () => model.requests[before + 1]);
    expect(JSON.stringify(model.requests[before + 1]?.body.messages.at(-1))).toMatch(
      /invalid input: path: expected a string/,
    );
  });
});
