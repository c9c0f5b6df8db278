import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, eventually, startAgentProcess } from './support/agent-process.ts';
import {
  type RecordedRequest,
  reply,
  type ScriptedAnthropicServer,
  startScriptedAnthropicServer,
} from './support/scripted-anthropic-server.ts';
import { createTestDatabase } from './support/test-database.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

function description(request: RecordedRequest): string {
  const first = request.body.messages[0]?.content[0] as { text?: string } | undefined;
  return first?.text ?? '';
}

describe('two desktops, each with its agent, sharing one PostgreSQL and one Redis', () => {
  const desktops: TestDesktop[] = [];
  const agents: AgentProcess[] = [];
  let model: ScriptedAnthropicServer;
  /** Which desktop (by its screen width) ran each task's first step. */
  const ranOn = new Map<string, number[]>();

  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    model = await startScriptedAnthropicServer();
    desktops.push(await startTestDesktop({ session: 'none' }));
    desktops.push(await startTestDesktop({ session: 'none', screen: { width: 1024, height: 768 } }));
    const queue = `bytebot-test-${randomUUID()}`;
    for (const desktop of desktops) {
      agents.push(
        await startAgentProcess({
          bytebotdUrl: desktop.bytebotd.url,
          token: desktop.bytebotd.token as string,
          dataDirectory: mkdtempSync(join(tmpdir(), 'multi-agent-')),
          environment: {
            ANTHROPIC_API_KEY: 'sk-ant-test-key',
            ANTHROPIC_BASE_URL: model.url,
            // A model of the beta tool, which is told its screen's size: that tells which desktop ran a task.
            ANTHROPIC_MODEL: 'claude-sonnet-4-6',
            DATABASE_URL: database.url,
            REDIS_URL: 'redis://127.0.0.1:6379',
            BYTEBOT_QUEUE_NAME: queue,
          },
        }),
      );
    }
  });

  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    for (const desktop of desktops) await desktop.stop();
    await model?.close();
    await database?.drop();
  });

  it('completes ten queued tasks, each exactly once, spread over both desktops', async () => {
    // Each task: a screenshot, then done. The answer depends on the conversation, not on who asks first.
    const step = async (request: RecordedRequest) => {
      if (request.body.messages.length === 1) {
        const width = Number(request.body.tools?.[0]?.display_width_px);
        ranOn.set(description(request), [...(ranOn.get(description(request)) ?? []), width]);
        // A little thinking time, so one agent cannot take every task before the other looks.
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 300));
        return reply.computer({ action: 'screenshot' })(request);
      }
      return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
    };
    model.play(Array.from({ length: 20 }, () => step));
    const descriptions = Array.from({ length: 10 }, (_, index) => `shared task ${index} ${randomUUID()}`);
    const ids: string[] = [];
    for (const [index, text] of descriptions.entries()) {
      // Created through either agent: the queue is one.
      const { body } = await (agents[index % 2] as AgentProcess).request<{ id: string }>('POST', '/tasks', {
        description: text,
      });
      ids.push(body.id);
    }
    for (const id of ids) {
      const task = await eventually(`task ${id}`, async () => {
        const { body } = await (agents[0] as AgentProcess).request<{ status: string }>('GET', `/tasks/${id}`);
        return ['COMPLETED', 'FAILED'].includes(body.status) ? body : undefined;
      });
      expect(task.status).toBe('COMPLETED');
      // Run once: one opening, one screenshot step, one final step.
      const { body: messages } = await (agents[1] as AgentProcess).request<unknown[]>(
        'GET',
        `/tasks/${id}/messages`,
      );
      expect(messages).toHaveLength(5);
    }
    for (const text of descriptions) expect(ranOn.get(text)).toHaveLength(1);
    const widths = new Set([...ranOn.values()].flat());
    // As told to Claude: the 1280x960 screen scaled to 1238 wide, the 1024x768 one as it is.
    expect(widths).toEqual(new Set([1238, 1024]));
  });
});
