/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeViolation, seriousAccessibilityViolations } from './support/axe-check.ts';
import { gate } from './support/gate.ts';
import { reply } from './support/scripted-anthropic-server.ts';
import { startUiStack, type UiStack } from './support/ui-stack.ts';

function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help}\n  ${violation.nodes.join('\n  ')}`,
    )
    .join('\n');
}

/** axe in light and in dark colours: the dark theme has contrasts of its own. */
async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, `${what} (${colorScheme}):\n${describeViolations(violations)}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('every page of the UI passes axe-core without serious or critical violations', () => {
  let stack: UiStack;
  let finishedId: string;

  beforeAll(async () => {
    stack = await startUiStack({ desktop: { vnc: true } });
    const { client, model } = stack.fixture;
    model.play([
      reply.computer({ action: 'screenshot' }, 'Looking at the **screen**.'),
      reply.computer({ action: 'left_click', coordinate: [300, 200] }),
      reply.computer({ action: 'type', text: 'some text' }),
      reply.tool('set_task_status', { status: 'completed', description: 'Done.' }),
    ]);
    const finished = await client.createTask({ description: 'A finished task to replay' });
    finishedId = finished.id;
    await client.waitForTask(finishedId, ['COMPLETED'], { timeoutMs: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the login page', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.ui.url}/login`);
    await page.getByLabel('Password').waitFor();
    await expectNoSeriousViolations(page, 'login');
    await context.close();
  });

  it('the home page, with its task box and recent tasks', async () => {
    const page = await stack.context.newPage();
    await page.goto(stack.ui.url);
    await page.locator('.task-row').first().waitFor();
    await page.getByLabel('Model').waitFor();
    await expectNoSeriousViolations(page, 'home');
    await page.close();
  });

  it('the Tasks page, and its delete confirmation', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks`);
    await page.locator('.task-row').first().waitFor();
    await expect.poll(() => page.locator('[data-count="all"]').textContent()).not.toBe('…');
    await expectNoSeriousViolations(page, 'tasks');
    await page
      .getByRole('button', { name: /^Delete: / })
      .first()
      .click();
    await page.getByRole('dialog').waitFor();
    await expectNoSeriousViolations(page, 'tasks, confirming a delete');
    await page.getByRole('button', { name: 'Keep it' }).click();
    await page.close();
  });

  it('a finished task page with its replay, and a screenshot full size', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks/${finishedId}`);
    await page.locator('.replay img.replay-screenshot').waitFor();
    await expectNoSeriousViolations(page, 'finished task');
    await page.locator('.thumbnail').first().click();
    await page.getByRole('dialog').waitFor();
    await expectNoSeriousViolations(page, 'finished task, screenshot open');
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('a running task page with the live desktop', async () => {
    const { client, model } = stack.fixture;
    const held = gate();
    model.play([
      held.step(reply.computer({ action: 'screenshot' })),
      reply.tool('set_task_status', { status: 'completed', description: 'Done.' }),
    ]);
    const running = await client.createTask({ description: 'A running task to watch' });
    const page = await stack.context.newPage();
    try {
      await page.goto(`${stack.ui.url}/tasks/${running.id}`);
      await held.reached;
      await page.getByText('Bytebot is working…').waitFor();
      await page.locator('iframe.desktop-frame').waitFor();
      await expectNoSeriousViolations(page, 'running task');
      await page.setViewportSize({ width: 420, height: 900 });
      await expectNoSeriousViolations(page, 'running task, narrow');
    } finally {
      held.release();
      await client.waitForTask(running.id, ['COMPLETED'], { timeoutMs: 30_000 });
      await page.close();
    }
  });
});
