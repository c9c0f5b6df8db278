import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, eventually, startAgentProcess } from './support/agent-process.ts';
import {
  reply,
  type ScriptedAnthropicServer,
  startScriptedAnthropicServer,
} from './support/scripted-anthropic-server.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

const examples = new URL('../packages/agent/examples/tools', import.meta.url).pathname;

describe('custom tools loaded from a folder', () => {
  let test: TestDesktop;
  let model: ScriptedAnthropicServer;
  let agent: AgentProcess;

  beforeAll(async () => {
    test = await startTestDesktop({ session: 'none' });
    model = await startScriptedAnthropicServer();
    agent = await startAgentProcess({
      bytebotdUrl: test.bytebotd.url,
      token: test.bytebotd.token as string,
      dataDirectory: mkdtempSync(join(tmpdir(), 'agent-tools-')),
      environment: {
        ANTHROPIC_API_KEY: 'sk-ant-test-key',
        ANTHROPIC_BASE_URL: model.url,
        BYTEBOT_TOOLS_DIR: examples,
      },
    });
  });

  afterAll(async () => {
    await agent?.stop();
    await model?.close();
    await test?.stop();
  });

  it('offers the example tool to the model and puts its result in the conversation', async () => {
    await test.bytebotd.client.writeFile('Documents/words.txt', 'one two three\nfour');
    model.play([
      reply.tool('word_count', { path: 'Documents/words.txt' }),
      reply.tool('set_task_status', { status: 'completed', description: 'Counted.' }),
    ]);
    const before = model.requests.length;
    const { body: task } = await agent.request<{ id: string }>('POST', '/tasks', {
      description: 'Count the words',
    });
    const finished = await eventually('the task to finish', async () => {
      const { body } = await agent.request<{ status: string }>('GET', `/tasks/${task.id}`);
      return ['COMPLETED', 'FAILED'].includes(body.status) ? body : undefined;
    });
    expect(finished.status).toBe('COMPLETED');
    const offered = model.requests[before]?.body.tools?.find((tool) => tool.name === 'word_count');
    expect(offered).toMatchObject({
      input_schema: { type: 'object', properties: { path: { type: 'string' } } },
    });
    expect(JSON.stringify(model.requests[before + 1]?.body.messages.at(-1))).toContain(
      'has 4 words on 2 lines',
    );
    const { body: messages } = await agent.request<Array<{ content: unknown[] }>>(
      'GET',
      `/tasks/${task.id}/messages`,
    );
    expect(JSON.stringify(messages[2]?.content)).toContain('has 4 words on 2 lines');
  });

  it('answers a call with bad input as a tool error naming the field', async () => {
    model.play([
      reply.tool('word_count', { path: 42 }),
      reply.tool('set_task_status', { status: 'completed', description: 'Gave up.' }),
    ]);
    const before = model.requests.length;
    await agent.request('POST', '/tasks', { description: 'Count the words badly' });
    await eventually('the second request', async () => model.requests[before + 1]);
    expect(JSON.stringify(model.requests[before + 1]?.body.messages.at(-1))).toMatch(
      /invalid input: path: expected a string/,
    );
  });
});
