/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTrajectoryArchive } from '@bytebot/trajectory';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import type { AgentProcess } from './support/agent-process.ts';
import { chromiumLaunchOptions } from './support/chromium.ts';
import { gate } from './support/gate.ts';
import { liveCanvas } from './support/live-canvas.ts';
import { reply, type ScriptedAnthropicServer } from './support/scripted-anthropic-server.ts';
import type { TestDesktop } from './support/test-desktop.ts';
import { startUiProcess, type UiProcess } from './support/ui-process.ts';

async function createTaskInPage(page: Page, ui: UiProcess, description: string): Promise<string> {
  await page.goto(ui.url);
  await page.getByLabel('What should Bytebot do?').fill(description);
  await page.getByRole('button', { name: 'Start task' }).click();
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
  return page.url().split('/').at(-1) as string;
}

describe('the chat UI in a real browser, against the real stack', () => {
  let fixture: AgentFixture;
  let test: TestDesktop;
  let model: ScriptedAnthropicServer;
  let agent: AgentProcess;
  let ui: UiProcess;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    fixture = await startAgentFixture({ desktop: { vnc: true } });
    ({ testDesktop: test, model, agent } = fixture);
    ui = await startUiProcess({
      agentUrl: agent.url,
      bytebotdUrl: test.bytebotd.url,
      token: test.bytebotd.token as string,
    });
    browser = await chromium.launch(chromiumLaunchOptions);
    // One context for the whole file: it keeps the session cookie of one login.
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await ui.login(page);
    await page.close();
    mkdirSync('test-results', { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await fixture?.stop();
  });

  it('runs a task typed in the home page, showing each action as it happens, to COMPLETED', async () => {
    const page = await context.newPage();
    await page.goto(ui.url);
    // The list loads after the page does; a loaded machine takes more than the poll's default second.
    await expect.poll(() => page.locator('[data-empty="tasks"]').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.screenshot({ path: 'test-results/ui-home-empty.png' });

    const second = gate();
    const third = gate();
    model.play([
      reply.computer({ action: 'screenshot' }, 'I will look at the screen first.'),
      second.step(reply.computer({ action: 'mouse_move', coordinate: [400, 300] })),
      third.step(
        reply.tool('set_task_status', { status: 'completed', description: 'Moved the pointer as asked.' }),
      ),
    ]);
    await createTaskInPage(page, ui, 'Move the pointer to the middle of the screen');
    // A marker that a reload would wipe: every update below must arrive without one.
    await page.evaluate(() => Object.assign(window, { bytebotNoReload: true }));
    await page.getByText('Took a screenshot').waitFor({ timeout: 30_000 });
    await page.getByText('I will look at the screen first.').waitFor();
    await liveCanvas(page.frameLocator('iframe.desktop-frame'));

    await second.reached;
    expect(await page.getByText('Moved the pointer to (400, 300)').count()).toBe(0);
    second.release();
    await page.getByText('Moved the pointer to (400, 300)').waitFor({ timeout: 30_000 });
    await third.reached;
    third.release();
    await page.locator('.task-header [data-status="COMPLETED"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.thumbnail').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-usage]').textContent()).toMatch(/3,000 tokens in/);
    expect(await page.locator('[data-step-usage]').count()).toBe(3);
    expect(
      await page.evaluate(() => (window as unknown as { bytebotNoReload?: boolean }).bytebotNoReload),
    ).toBe(true);
    await page.screenshot({ path: 'test-results/ui-task.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/ui-task-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    // The finished task's trajectory downloads through the UI's own server, credentials added there.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download trajectory' }).click(),
    ]);
    const saved = await download.path();
    const trajectory = readTrajectoryArchive(readFileSync(saved));
    expect(trajectory.manifest.task.description).toBe('Move the pointer to the middle of the screen');
    expect(trajectory.steps).toHaveLength(3);
    expect(
      trajectory.steps
        .flatMap((step) => step.calls)
        .some((call) => call.summary === 'Moved the pointer to (400, 300)'),
    ).toBe(true);

    await page.goto(ui.url);
    await page.locator('.task-row [data-status="COMPLETED"]').first().waitFor();
    await page.screenshot({ path: 'test-results/ui-home.png' });
    await page.setViewportSize({ width: 420, height: 900 });
    await page.screenshot({ path: 'test-results/ui-home-narrow.png', fullPage: true });
    await page.close();
  });

  it('lets a person take over, type on the real desktop, and hand back', async () => {
    const page = await context.newPage();
    const path = join(test.desktop.user.home, `taken-over-${randomUUID()}.txt`);
    const thinking = gate();
    model.play([
      reply.tool('open_application', { application: 'text_editor' }),
      thinking.step(reply.computer({ action: 'key', text: 'ctrl+s' })),
      reply.computer({ action: 'key', text: 'ctrl+s' }),
      reply.computer({ action: 'wait', duration: 1.5 }),
      reply.computer({ action: 'type', text: path }),
      reply.computer({ action: 'wait', duration: 1 }),
      reply.computer({ action: 'key', text: 'Return' }),
      reply.computer({ action: 'wait', duration: 1 }),
      reply.tool('set_task_status', { status: 'completed', description: 'Saved what the person typed.' }),
    ]);
    await createTaskInPage(page, ui, 'Save what I type in the text editor');
    await page.getByText('Opened the text editor').waitFor({ timeout: 30_000 });
    await thinking.reached;

    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByRole('button', { name: 'Hand back to Bytebot' }).waitFor();
    thinking.release();
    const canvas = await liveCanvas(page.frameLocator('iframe.desktop-frame'));
    expect(await page.locator('.desktop-view.interactive').count()).toBe(1);
    // Click into the editor's text area, where the window really is on the desktop, then type.
    const windows = execFileSync('wmctrl', ['-lG'], {
      env: { ...process.env, ...test.desktop.environment() },
      encoding: 'utf8',
    });
    const editor = windows
      .split('\n')
      .find((line) => /Mousepad/.test(line))
      ?.split(/\s+/);
    if (!editor) throw new Error(`no editor window:\n${windows}`);
    const [x, y, width, height] = editor.slice(2, 6).map(Number) as [number, number, number, number];
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the live view has no box');
    const scale = box.width / 1280;
    await page.mouse.click(box.x + (x + width / 2) * scale, box.y + (y + height / 2) * scale);
    await page.keyboard.type('typed by a person', { delay: 20 });
    await page.screenshot({ path: 'test-results/ui-takeover.png' });

    await page.getByRole('button', { name: 'Hand back to Bytebot' }).click();
    await page.locator('.task-header [data-status="COMPLETED"]').waitFor({ timeout: 60_000 });
    // Checked on the desktop itself: the file the model saved holds what the person typed.
    const saved = await test.bytebotd.client.readFile(path);
    expect(saved.content.toString('utf8')).toContain('typed by a person');
    await page.close();
  });

  it("places a file attached to a task in the desktop user's home, byte for byte", async () => {
    const page = await context.newPage();
    const name = `attachment-${randomUUID()}.bin`;
    const bytes = randomBytes(100_000);
    model.play([reply.tool('set_task_status', { status: 'completed', description: 'Found the file.' })]);
    await page.goto(ui.url);
    await page.getByLabel('What should Bytebot do?').fill('Look at the attached file');
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
    await page.getByText(`${name} will be placed on the desktop`).waitFor();
    await page.getByRole('button', { name: 'Start task' }).click();
    await page.waitForURL(/\/tasks\//);
    await page.locator('.task-header [data-status="COMPLETED"]').waitFor({ timeout: 30_000 });
    const placed = await test.bytebotd.client.readFile(`Desktop/${name}`);
    expect(placed.content.equals(bytes)).toBe(true);
    await page.close();
  });

  it('says clearly when the agent and the desktop are unreachable', async () => {
    const nowhere = 'http://127.0.0.1:9';
    const lonely = await startUiProcess({ agentUrl: nowhere, bytebotdUrl: nowhere, token: 'unused' });
    const page = await browser.newPage();
    try {
      await lonely.login(page);
      await page.locator('[data-banner="agent"]').waitFor();
      await page.locator('[data-banner="desktop"]').waitFor();
      expect(await page.locator('[data-banner="agent"]').textContent()).toMatch(/agent is unreachable/);
      await page.getByRole('alert').filter({ hasText: 'Could not load the tasks' }).waitFor();
    } finally {
      await page.close();
      await lonely.stop();
    }
  });

  it('asks for its password, keeps the session in a strict HttpOnly cookie, and lets nothing through without it', async () => {
    const page = await fetch(`${ui.url}/tasks`, { redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([303, '/login?next=%2Ftasks']);
    for (const path of ['/api/agent/tasks', '/api/status', '/api/live-view', '/novnc/vnc.html']) {
      expect((await fetch(`${ui.url}${path}`)).status).toBe(401);
    }
    for (const path of ['/websockify', '/api/agent/socket.io/?EIO=4&transport=websocket']) {
      const status = await new Promise<number>((resolvePromise, rejectPromise) => {
        const socket = new WebSocket(`${ui.url.replace('http', 'ws')}${path}`);
        socket.on('unexpected-response', (_request, response) => {
          resolvePromise(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.on('open', () => rejectPromise(new Error(`${path} was accepted`)));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    }
    const login = (password: string) =>
      fetch(`${ui.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ password, next: '/desktop' }).toString(),
      });
    const wrong = await login('not the password');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That password is not right.');
    const right = await login(ui.password);
    expect([right.status, right.headers.get('location')]).toEqual([303, '/desktop']);
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0] as string;
    const tasks = await fetch(`${ui.url}/api/agent/tasks`, { headers: { cookie: session } });
    expect(tasks.status).toBe(200);
    expect(tasks.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    expect(tasks.headers.get('x-content-type-options')).toBe('nosniff');
    const forged = await fetch(`${ui.url}/api/agent/tasks`, {
      headers: { cookie: `${session.slice(0, -2)}xx` },
    });
    expect(forged.status).toBe(401);
  });
});
