/// <reference lib="dom" />
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentClient } from '@bytebot/client';
import type { AgentTask, TaskPriority } from '@bytebot/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, type ScriptedAnthropicServer } from './support/scripted-anthropic-server.ts';
import { startUiStack, type UiStack } from './support/ui-stack.ts';

/** A page waits for the agent and its events; on a busy machine that can take seconds. */
const poll = <Value>(read: () => Promise<Value> | Value) => expect.poll(read, { timeout: 15_000 });

/** Far enough ahead that a scheduled task stays PENDING for the whole test. */
const nextYear = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString();

async function finishedTask(
  client: AgentClient,
  model: ScriptedAnthropicServer,
  description: string,
  status: 'completed' | 'failed',
  priority: TaskPriority = 'MEDIUM',
): Promise<AgentTask> {
  model.play([reply.tool('set_task_status', { status, description: `Marked ${status}.` })]);
  const task = await client.createTask({ description, priority });
  return client.waitForTask(task.id, [status === 'completed' ? 'COMPLETED' : 'FAILED'], {
    timeoutMs: 30_000,
  });
}

function waitingTask(client: AgentClient, description: string, priority: TaskPriority): Promise<AgentTask> {
  return client.createTask({ description, priority, type: 'SCHEDULED', scheduledFor: nextYear });
}

/** The count a status tab shows, as a person reads it. */
function tabCount(page: Page, tab: string) {
  return page.locator(`[data-count="${tab}"]`).textContent();
}

function listedDescriptions(page: Page) {
  return page.locator('.task-list .task-description').allTextContents();
}

describe('the Tasks page: tabs with live counts, search, sort, pages, delete and retry', () => {
  let stack: UiStack;
  let client: AgentClient;
  let model: ScriptedAnthropicServer;

  beforeAll(async () => {
    stack = await startUiStack({ desktop: { session: 'none' } });
    client = stack.fixture.client;
    model = stack.fixture.model;
    // Two completed, one failed, one cancelled, two waiting (scheduled a year ahead).
    await finishedTask(client, model, 'Rename the invoices by date', 'completed', 'LOW');
    await finishedTask(client, model, 'Feed the ZEBRA in the spreadsheet', 'completed', 'HIGH');
    await finishedTask(client, model, 'Print the 50% discount list', 'failed');
    const cancelled = await waitingTask(client, 'Book a meeting room', 'MEDIUM');
    await client.cancel(cancelled.id);
    await waitingTask(client, 'Archive last year mail', 'URGENT');
    await waitingTask(client, 'Water the plants report', 'LOW');
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('counts tasks by status in the tabs, and each tab lists its own', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks`);
    await poll(() => tabCount(page, 'all')).toBe('6');
    expect(await tabCount(page, 'active')).toBe('2');
    expect(await tabCount(page, 'completed')).toBe('2');
    expect(await tabCount(page, 'ended')).toBe('2');
    await poll(() => page.locator('.task-row').count()).toBe(6);

    await page.getByRole('tab', { name: /Cancelled or failed/ }).click();
    await poll(() => listedDescriptions(page)).toEqual([
      'Book a meeting room',
      'Print the 50% discount list',
    ]);
    expect(await page.getByRole('tab', { selected: true }).textContent()).toMatch(/^Cancelled or failed/);
    // Status in words in every row, not colour alone.
    expect(await page.locator('.task-row [data-status]').allTextContents()).toEqual(['Cancelled', 'Failed']);

    // Arrow keys move between the tabs and choose.
    await page.getByRole('tab', { selected: true }).press('ArrowLeft');
    await poll(() => listedDescriptions(page)).toEqual([
      'Feed the ZEBRA in the spreadsheet',
      'Rename the invoices by date',
    ]);
    expect(new URL(page.url()).searchParams.get('tab')).toBe('completed');
    await page.close();
  });

  it('counts live: a task created elsewhere shows in the counts without a reload', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks?tab=active`);
    await poll(() => tabCount(page, 'active')).toBe('2');
    await page.evaluate(() => Object.assign(window, { bytebotNoReload: true }));
    const created = await waitingTask(client, 'Sort the photos from the trip', 'MEDIUM');
    await poll(() => tabCount(page, 'active')).toBe('3');
    expect(await tabCount(page, 'all')).toBe('7');
    await poll(() => listedDescriptions(page)).toContain('Sort the photos from the trip');
    await client.cancel(created.id);
    await poll(() => tabCount(page, 'active')).toBe('2');
    expect(await tabCount(page, 'ended')).toBe('3');
    expect(await page.evaluate(() => (window as { bytebotNoReload?: boolean }).bytebotNoReload)).toBe(true);
    await client.deleteTask(created.id);
    await poll(() => tabCount(page, 'all')).toBe('6');
    await page.close();
  });

  it('searches the descriptions in any case, taking % as a plain character', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks`);
    await page.getByLabel('Search tasks').fill('zebra');
    await poll(() => listedDescriptions(page)).toEqual(['Feed the ZEBRA in the spreadsheet']);
    // The counts are those of the search.
    await poll(() => tabCount(page, 'all')).toBe('1');
    expect(await tabCount(page, 'completed')).toBe('1');
    expect(new URL(page.url()).searchParams.get('search')).toBe('zebra');

    await page.getByLabel('Search tasks').fill('50%');
    await poll(() => listedDescriptions(page)).toEqual(['Print the 50% discount list']);
    await page.getByLabel('Search tasks').fill('%');
    await poll(() => listedDescriptions(page)).toEqual(['Print the 50% discount list']);
    await page.getByLabel('Search tasks').fill('no such words');
    await page.locator('[data-empty="filtered"]').waitFor();
    expect(await page.locator('[data-empty="filtered"]').textContent()).toContain('No task mentions');
    await page.close();
  });

  it('sorts by priority, urgent first', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks`);
    await page.getByLabel('Sort by').selectOption('priority');
    await poll(async () => (await listedDescriptions(page)).slice(0, 2)).toEqual([
      'Archive last year mail',
      'Feed the ZEBRA in the spreadsheet',
    ]);
    const all = await listedDescriptions(page);
    expect(all.slice(-2)).toEqual(['Water the plants report', 'Rename the invoices by date']);
    await page.close();
  });

  it('pages through many tasks', async () => {
    const extra: AgentTask[] = [];
    for (let index = 0; index < 21; index += 1) {
      extra.push(await waitingTask(client, `Paged task number ${index}`, 'LOW'));
    }
    const page = await stack.context.newPage();
    try {
      await page.goto(`${stack.ui.url}/tasks?search=paged`);
      await page.getByText('Page 1 of 2').waitFor();
      expect(await page.locator('.task-row').count()).toBe(20);
      await page.getByRole('button', { name: 'Next page' }).click();
      await page.getByText('Page 2 of 2').waitFor();
      await poll(() => listedDescriptions(page)).toEqual(['Paged task number 0']);
    } finally {
      await page.close();
      for (const task of extra) await client.deleteTask(task.id);
    }
  });

  it('deletes a task only after the person confirms, and keeps it when they do not', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks`);
    await poll(() => tabCount(page, 'all')).toBe('6');
    const deleteButton = page.getByRole('button', { name: 'Delete: Water the plants report' });
    await deleteButton.click();
    const dialog = page.getByRole('dialog', { name: 'Delete this task?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Water the plants report');
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Focus is back on the button that asked.
    expect(await deleteButton.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await listedDescriptions(page)).toContain('Water the plants report');

    await deleteButton.click();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await listedDescriptions(page)).toContain('Water the plants report');

    await deleteButton.click();
    await dialog.getByRole('button', { name: 'Delete the task' }).click();
    await poll(() => listedDescriptions(page)).not.toContain('Water the plants report');
    await poll(() => tabCount(page, 'all')).toBe('5');
    expect(await tabCount(page, 'active')).toBe('1');
    await page.getByRole('status').filter({ hasText: 'Deleted the task' }).waitFor({ state: 'attached' });
    const listed = await client.listTasks({ search: 'plants' });
    expect(listed.total).toBe(0);
    await page.close();
  });

  it('retries a finished task as a new task with the same description, priority and model', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.ui.url}/tasks?tab=ended`);
    model.play([reply.tool('set_task_status', { status: 'completed', description: 'Printed it.' })]);
    await page.getByRole('button', { name: 'Retry: Print the 50% discount list' }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').at(-1) as string;
    const retried = await client.waitForTask(id, ['COMPLETED'], { timeoutMs: 30_000 });
    expect(retried.description).toBe('Print the 50% discount list');
    expect(retried.priority).toBe('MEDIUM');
    await page.locator('.task-header [data-status="COMPLETED"]').waitFor();
    await page.close();
  });

  it('starts a task from the task box with Enter; Shift+Enter adds a line', async () => {
    const page = await stack.context.newPage();
    await page.goto(stack.ui.url);
    // The model picker is there from the start, the default chosen.
    const picker = page.getByLabel('Model');
    await poll(() => picker.inputValue()).toBe('claude-sonnet-5-5');
    expect(await picker.locator('option:checked').textContent()).toContain('(default)');

    const box = page.getByLabel('What should Bytebot do?');
    await box.click();
    await page.keyboard.type('Open the calculator');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('and add 2 and 2');
    expect(await box.inputValue()).toBe('Open the calculator\nand add 2 and 2');
    expect(new URL(page.url()).pathname).toBe('/');

    model.play([reply.tool('set_task_status', { status: 'completed', description: 'It is 4.' })]);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').at(-1) as string;
    const task = await client.waitForTask(id, ['COMPLETED'], { timeoutMs: 30_000 });
    expect(task.description).toBe('Open the calculator\nand add 2 and 2');
    expect(task.model).toBe('claude-sonnet-5-5');
    await page.close();
  });

  it('shows attached files as chips with their size, the limits stated before anything is sent', async () => {
    const page = await stack.context.newPage();
    await page.goto(stack.ui.url);
    expect(await page.locator('#task-files-limit').textContent()).toBe(
      'Up to 20 files, 32 MB each, 45 MB in all.',
    );
    await page.locator('input[type="file"]').setInputFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.alloc(2048, 'a') },
      { name: 'data.csv', mimeType: 'text/csv', buffer: Buffer.alloc(100, 'b') },
    ]);
    const chips = page.getByRole('list', { name: 'Attached files' }).getByRole('listitem');
    await poll(() => chips.allTextContents()).toEqual(['notes.txt2 KB×', 'data.csv100 bytes×']);
    await page.getByRole('button', { name: 'Remove notes.txt' }).click();
    await poll(() => chips.allTextContents()).toEqual(['data.csv100 bytes×']);
    await page.getByText('data.csv will be placed on the desktop').waitFor();
    // A file over the limit is refused at once, naming it, and nothing is attached.
    // A sparse file on disk: the browser reads its size without 33 MB crossing the test's connection.
    const huge = join(mkdtempSync(join(tmpdir(), 'ui-attachments-')), 'huge.bin');
    writeFileSync(huge, '');
    truncateSync(huge, 33 * 1024 * 1024);
    await page.locator('input[type="file"]').setInputFiles(huge);
    await page.getByRole('alert').filter({ hasText: 'Not attached: huge.bin is 33 MB' }).waitFor();
    expect(await chips.count()).toBe(1);
    await page.close();
  });

  it("refuses bad list queries with 400 naming the field, through the UI's own server too", async () => {
    const agent = stack.fixture.agent;
    const headers = { authorization: `Bearer ${stack.fixture.bytebotd.token}` };
    for (const [path, field] of [
      ['/tasks?sort=oldest', 'sort'],
      ['/tasks?search=a&search=b', 'search'],
      [`/tasks/counts?search=${'x'.repeat(501)}`, 'search'],
      ['/tasks?statuses=DONE', 'statuses'],
    ] as const) {
      const response = await fetch(`${agent.url}${path}`, { headers });
      expect(response.status, path).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('INVALID_REQUEST');
      expect(body.error.message.startsWith(`${field}`), body.error.message).toBe(true);
    }
    const counts = await client.countTasks({ search: 'ZEBRA' });
    expect(counts.total).toBe(1);
    expect(counts.counts.COMPLETED).toBe(1);
  });
});
