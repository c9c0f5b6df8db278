import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentMessage } from '@bytebot/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { eventually } from './support/agent-process.ts';
import { launchAsDesktopUser, waitForWindow } from './support/desktop-programs.ts';
import { reply } from './support/scripted-openai-server.ts';

/** Per key: the text below would take about a minute to type. */
const keyDelayMs = 40;
/** "1\n2\n...\n400\n": 1492 characters. */
const numberedLines = Array.from({ length: 400 }, (_, index) => `${index + 1}\n`).join('');
/**
 * At most this many characters may arrive once a cancel (or takeover) has returned: one key in flight and
 * the terminal's own lag. At 40 ms a key, that is 200 ms of typing.
 */
const lateCharacters = 5;

const pause = (milliseconds: number) =>
  new Promise((resolvePromise) => setTimeout(resolvePromise, milliseconds));

function toolResultsOf(messages: AgentMessage[]): Array<{ text: string; isError: boolean }> {
  return messages.flatMap((message) =>
    message.content.flatMap((block) =>
      block.type === 'tool_result'
        ? [
            {
              text: block.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
              isError: block.is_error === true,
            },
          ]
        : [],
    ),
  );
}

describe('a cancel or a takeover stops the desktop action in flight', () => {
  // The OpenAI function tools: our protocol's actions as they are, `type_text` with its per-key `delay`.
  let fixture: AgentFixture<'openai'>;
  const stops: Array<() => void> = [];

  beforeAll(async () => {
    fixture = await startAgentFixture({ provider: 'openai' });
  });

  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  /**
   * A terminal, in front, whose every key lands in a file as it is typed (raw mode: no waiting for Return),
   * so the file's length counts the characters that reached the desktop.
   */
  async function openTypingProbe(): Promise<() => number> {
    const { desktop } = fixture;
    const title = `probe-${randomUUID().slice(0, 8)}`;
    const file = join(desktop.user.home, `${title}.txt`);
    stops.push(
      launchAsDesktopUser(desktop, 'xfce4-terminal', [
        '--disable-server',
        `--title=${title}`,
        '-x',
        'sh',
        '-c',
        `stty raw -echo && exec cat > ${file}`,
      ]),
    );
    await waitForWindow(desktop, title);
    await eventually('the probe file', async () => (existsSync(file) ? true : undefined));
    return () => readFileSync(file).length;
  }

  async function typingStarted(typed: () => number, characters = 10): Promise<void> {
    await eventually('the first characters typed', async () => (typed() >= characters ? true : undefined));
  }

  /** Characters arrived by now, and that none arrive later: the typing has stopped. */
  async function typingStopped(typed: () => number): Promise<number> {
    // Long enough for keys already sent to come through the terminal; none arrive after it.
    await pause(300);
    const arrived = typed();
    await pause(2000);
    expect(typed()).toBe(arrived);
    return arrived;
  }

  it('stops a long type_text on cancel: no character arrives after the cancel has returned', async () => {
    const typed = await openTypingProbe();
    fixture.model.play([reply.tool('type_text', { text: numberedLines, delay: keyDelayMs })]);
    const requestsBefore = fixture.model.requests.length;
    const task = await fixture.client.createTask({ description: 'Type the numbers' });
    await typingStarted(typed);

    const cancelled = await fixture.client.cancel(task.id);
    const atCancel = typed();
    expect(cancelled.status).toBe('CANCELLED');
    const arrived = await typingStopped(typed);
    expect(arrived - atCancel).toBeLessThanOrEqual(lateCharacters);
    expect(arrived).toBeLessThan(numberedLines.length / 4);

    const after = await fixture.client.getTask(task.id);
    expect(after.status).toBe('CANCELLED');
    expect(fixture.model.requests.length - requestsBefore).toBe(1);
    // The call was answered: stopped part way, because of the cancel.
    expect(toolResultsOf(after.messages).at(-1)).toEqual({
      text: expect.stringMatching(/stopped part way: the task was cancelled/),
      isError: true,
    });
  });

  it('stops a long wait on cancel, and the task asks the desktop nothing more', async () => {
    const typed = await openTypingProbe();
    // One turn: a key the test can see, then the wait it then knows is running.
    fixture.model.play([
      () => ({
        content: null,
        toolCalls: [
          { name: 'type_text', arguments: JSON.stringify({ text: 'w' }) },
          { name: 'wait', arguments: JSON.stringify({ duration: 60_000 }) },
          { name: 'type_text', arguments: JSON.stringify({ text: 'after the wait' }) },
        ],
      }),
    ]);
    const requestsBefore = fixture.model.requests.length;
    const task = await fixture.client.createTask({ description: 'Wait a minute' });
    await typingStarted(typed, 1);
    // The key's call has returned; the wait is in flight at bytebotd.
    await pause(500);

    expect((await fixture.client.cancel(task.id)).status).toBe('CANCELLED');
    expect(await typingStopped(typed)).toBe(1);
    const after = await fixture.client.getTask(task.id);
    expect(after.status).toBe('CANCELLED');
    expect(fixture.model.requests.length - requestsBefore).toBe(1);
    expect(toolResultsOf(after.messages).map((result) => result.text)).toEqual([
      expect.stringMatching(/Typed/),
      expect.stringMatching(/stopped part way: the task was cancelled/),
      'The task was stopped before this action.',
    ]);
  });

  it('stops a long type_text on takeover; the task waits for the person and goes on when handed back', async () => {
    const typed = await openTypingProbe();
    fixture.model.play([
      reply.tool('type_text', { text: numberedLines, delay: keyDelayMs }),
      reply.tool('set_task_status', { status: 'completed', description: 'Handed back and done' }),
    ]);
    const requestsBefore = fixture.model.requests.length;
    const task = await fixture.client.createTask({ description: 'Type the numbers' });
    await typingStarted(typed);

    const takenOver = await fixture.client.takeOver(task.id);
    const atTakeover = typed();
    expect(takenOver).toMatchObject({ status: 'RUNNING', control: 'USER' });
    const arrived = await typingStopped(typed);
    expect(arrived - atTakeover).toBeLessThanOrEqual(lateCharacters);
    expect(arrived).toBeLessThan(numberedLines.length / 4);
    // Not ended: it waits at its takeover gate, without asking the model.
    expect(await fixture.client.getTask(task.id)).toMatchObject({ status: 'RUNNING', control: 'USER' });
    expect(fixture.model.requests.length - requestsBefore).toBe(1);

    await fixture.client.resume(task.id);
    const done = await fixture.client.waitForTask(task.id, ['COMPLETED', 'FAILED'], { timeoutMs: 60_000 });
    expect(done.status).toBe('COMPLETED');
    expect(fixture.model.requests.length - requestsBefore).toBe(2);
    // The model was told why its typing stopped, in the result of that very call.
    const sent = JSON.stringify(fixture.model.requests.at(-1)?.body.messages);
    expect(sent).toMatch(/stopped part way: a person took control of the desktop/);
    const { messages } = await fixture.client.getTask(task.id);
    expect(toolResultsOf(messages)[0]).toEqual({
      text: expect.stringMatching(/stopped part way: a person took control of the desktop/),
      isError: true,
    });
    expect(typed()).toBe(arrived);
  });
});
