/// <reference lib="dom" />
import type { AgentClient } from '@bytebot/client';
import type { AgentMessage, StoredContentBlock } from '@bytebot/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate } from './support/gate.ts';
import { reply, type ScriptedAnthropicServer } from './support/scripted-anthropic-server.ts';
import { startUiStack, type UiStack } from './support/ui-stack.ts';

const poll = <Value>(read: () => Promise<Value> | Value) => expect.poll(read, { timeout: 15_000 });

interface RecordedStep {
  name: string;
  /** The stored screenshot a person should see for the step: its own, or the last before it. */
  screenshot: string | undefined;
  actions: Array<Record<string, unknown>>;
}

/** The steps as the agent stored them, read without the UI: each tool call, its result's actions and picture. */
function recordedSteps(messages: AgentMessage[]): RecordedStep[] {
  const results = new Map<string, Extract<StoredContentBlock, { type: 'tool_result' }>>();
  for (const block of messages.flatMap((message) => message.content)) {
    if (block.type === 'tool_result') results.set(block.tool_use_id, block);
  }
  const steps: RecordedStep[] = [];
  let screenshot: string | undefined;
  for (const message of messages.filter((candidate) => candidate.role === 'assistant')) {
    for (const block of message.content) {
      if (block.type !== 'tool_use') continue;
      const result = results.get(block.id);
      const image = result?.content.filter((part) => part.type === 'image').at(-1);
      if (image?.source.type === 'file') screenshot = image.source.id;
      steps.push({ name: block.name, screenshot, actions: result?.actions ?? [] });
    }
  }
  return steps;
}

function shownScreenshot(page: Page) {
  return page.locator('img.replay-screenshot').getAttribute('src');
}

function shownStep(page: Page) {
  return page.locator('.replay').getAttribute('data-replay-step');
}

describe('a finished task replayed in its page, each step read at a glance', () => {
  let stack: UiStack;
  let client: AgentClient;
  let model: ScriptedAnthropicServer;
  let taskId: string;
  let steps: RecordedStep[];

  beforeAll(async () => {
    stack = await startUiStack({ desktop: { vnc: true } });
    client = stack.fixture.client;
    model = stack.fixture.model;
    model.play([
      reply.computer(
        { action: 'screenshot' },
        'I will **look** first. <b>raw</b> [docs](javascript:alert(1))',
      ),
      reply.computer({ action: 'left_click', coordinate: [640, 480] }),
      reply.computer({ action: 'type', text: 'hello world' }),
      reply.computer({ action: 'left_click', coordinate: [200, 200] }, 'Now the password field.'),
      reply.computer({ action: 'type', text: 'hunter2-secret' }),
      reply.computer({ action: 'left_click_drag', start_coordinate: [100, 100], coordinate: [300, 250] }),
      reply.computer({ action: 'key', text: 'ctrl+a' }),
      reply.tool('set_task_status', { status: 'completed', description: 'Did every kind of step.' }),
    ]);
    const task = await client.createTask({ description: 'Show every kind of step' });
    taskId = task.id;
    await client.waitForTask(taskId, ['COMPLETED'], { timeoutMs: 60_000 });
    steps = recordedSteps((await client.getTask(taskId)).messages);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows step N’s stored screenshot as the scrubber moves, with the action drawn on it', async () => {
    expect(steps).toHaveLength(8);
    expect(steps.every((step) => step.screenshot !== undefined)).toBe(true);
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks/${taskId}`);
    await page.locator('.replay img.replay-screenshot').waitFor();
    // Opened at the end, where the conversation is scrolled to.
    await poll(() => shownStep(page)).toBe('7');

    const scrubber = page.getByRole('slider', { name: 'Step' });
    await scrubber.focus();
    await page.keyboard.press('Home');
    for (const [index, step] of steps.entries()) {
      await poll(() => shownScreenshot(page)).toBe(
        `/api/agent/tasks/${taskId}/screenshots/${step.screenshot}`,
      );
      expect(await page.locator('.replay-caption').textContent()).toMatch(
        new RegExp(`^Step ${index + 1} of 8: `),
      );
      // The step being shown is marked in the conversation too.
      expect(await page.locator('.step[aria-current="step"]').getAttribute('data-step-index')).toBe(
        String(index),
      );
      if (index < steps.length - 1) await page.keyboard.press('ArrowRight');
    }

    // Step 2: the click, drawn where it landed (the recorded screen pixels).
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    const click = steps[1]?.actions[0] as { coordinates: { x: number; y: number } };
    const ring = page.locator('.action-overlay .overlay-click circle').first();
    await poll(() => ring.getAttribute('cx')).toBe(String(click.coordinates.x));
    expect(await ring.getAttribute('cy')).toBe(String(click.coordinates.y));
    await page.screenshot({ path: 'docs/ui-task.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/ui-replay-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    // Step 3: the typed text, on the screenshot.
    await page.keyboard.press('ArrowRight');
    await poll(() => page.locator('.overlay-caption text').textContent()).toBe('“hello world”');
    // Step 6: the drag's path.
    for (let press = 0; press < 3; press += 1) await page.keyboard.press('ArrowRight');
    const drag = steps[5]?.actions[0] as { path: Array<{ x: number; y: number }> };
    await poll(() => page.locator('.overlay-path polyline').getAttribute('points')).toBe(
      drag.path.map((point) => `${point.x},${point.y}`).join(' '),
    );
    await page.close();
  });

  it('follows the conversation as a person scrolls it, and plays and pauses', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks/${taskId}`);
    await poll(() => shownStep(page)).toBe('7');
    const conversation = page.getByRole('region', { name: 'Conversation' });
    const box = await conversation.boundingBox();
    if (!box) throw new Error('the conversation has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -20_000);
    await poll(() => shownStep(page)).toBe('0');
    expect(await shownScreenshot(page)).toBe(
      `/api/agent/tasks/${taskId}/screenshots/${steps[0]?.screenshot}`,
    );

    await page.getByRole('button', { name: 'Play the steps' }).click();
    await poll(async () => Number(await shownStep(page))).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Pause the replay' }).click();
    const paused = await shownStep(page);
    await page.waitForTimeout(2_000);
    expect(await shownStep(page)).toBe(paused);

    // One click to the live desktop, one back.
    await page.getByRole('button', { name: 'Show the live desktop' }).click();
    await page.locator('iframe.desktop-frame').waitFor();
    expect(await page.locator('.replay').count()).toBe(0);
    await page.getByRole('button', { name: 'Replay the steps' }).click();
    await page.locator('.replay img.replay-screenshot').waitFor();
    await page.close();
  });

  it('reads each step at a glance: icon, label and values as chips; a secret stays masked until asked', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks/${taskId}`);
    const cards = page.locator('article.step');
    await poll(() => cards.count()).toBe(8);
    const labels = await page.locator('article.step .step-label').allTextContents();
    expect(labels).toEqual([
      'Screenshot',
      'Click',
      'Type',
      'Click',
      'Type',
      'Drag',
      'Press keys',
      'Set the status',
    ]);
    expect(await cards.nth(1).locator('.chip').first().textContent()).toBe('at: 640, 480');
    expect(await cards.nth(2).locator('.chip-text').textContent()).toBe('text: “hello world”');
    expect(await cards.nth(6).locator('.chip-key').count()).toBe(2);
    expect(await cards.nth(0).locator('svg.step-icon').count()).toBe(1);

    // Typed right after the model named the password field: masked, in the card, its line and the replay.
    const secret = cards.nth(4);
    expect(await secret.locator('.chip-text').textContent()).toBe('text: •••••••• (a secret, hidden)');
    expect(await secret.locator('.step-summary').textContent()).toBe('Typed text (hidden)');
    expect(await page.locator('body').textContent()).not.toContain('hunter2-secret');
    await page.getByRole('slider', { name: 'Step' }).focus();
    await page.keyboard.press('Home');
    for (let press = 0; press < 4; press += 1) await page.keyboard.press('ArrowRight');
    await poll(() => page.locator('.overlay-caption text').textContent()).toBe('••••••••');
    const toggle = page.getByRole('button', { name: 'Show typed secrets' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await poll(() => secret.locator('.chip-text').textContent()).toBe('text: “hunter2-secret”');
    expect(await page.locator('.overlay-caption text').textContent()).toBe('“hunter2-secret”');
    await toggle.click();
    await poll(() => secret.locator('.chip-text').textContent()).toBe('text: •••••••• (a secret, hidden)');

    // The model's words as Markdown, without its raw HTML or a script link.
    const words = page.locator('.model-text').first();
    expect(await words.locator('strong').textContent()).toBe('look');
    expect(await words.locator('b').count()).toBe(0);
    expect(await words.locator('a[href^="javascript"]').count()).toBe(0);

    // A screenshot opens full size and closes with Esc, focus back on its thumbnail.
    const thumbnail = page.locator('.thumbnail').first();
    await thumbnail.click();
    const dialog = page.getByRole('dialog', { name: 'Screenshot, full size' });
    await dialog.waitFor();
    expect(await dialog.locator('img').getAttribute('src')).toBe(
      `/api/agent/tasks/${taskId}/screenshots/${steps[0]?.screenshot}`,
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await thumbnail.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.close();
  });

  it('says it is working with the time so far, and shows the takeover and hand-back as cards', async () => {
    const held = gate();
    model.play([
      held.step(reply.computer({ action: 'screenshot' })),
      reply.tool('set_task_status', { status: 'completed', description: 'Done after the takeover.' }),
    ]);
    const task = await client.createTask({ description: 'Wait while a person takes over' });
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks/${task.id}`);
    await held.reached;
    await page.getByText('Bytebot is working…').waitFor();
    await poll(() => page.getByRole('timer').textContent()).toMatch(/^\d+:\d{2}$/);

    const control = page.getByRole('button', { name: 'Take over' });
    await control.click();
    const handBack = page.getByRole('button', { name: 'Hand back to Bytebot' });
    await handBack.waitFor();
    // The same button, its job changed: focus stayed on it.
    expect(await handBack.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.locator('.control-card[data-control="USER"]').waitFor();
    expect(await page.locator('.control-card').first().textContent()).toContain(
      'A person took over the desktop',
    );
    await page.getByText('You have the desktop.').waitFor();
    await handBack.click();
    await page.locator('.control-card[data-control="ASSISTANT"]').waitFor();
    held.release();
    await page.locator('.task-header [data-status="COMPLETED"]').waitFor({ timeout: 30_000 });
    // Finished: the desktop pane turns to the replay by itself, and the cards stay after a reload.
    await page.locator('.replay').waitFor();
    await page.reload();
    await page.locator('.control-card[data-control="ASSISTANT"]').waitFor();
    await page.close();
  });
});
