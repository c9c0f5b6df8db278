/// <reference lib="dom" />
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AgentTask } from '@bytebot/protocol';
import { type Browser, type BrowserContext, chromium, type FrameLocator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture, startScriptedModel } from './support/agent-fixture.ts';
import { eventually } from './support/agent-process.ts';
import { type AxeViolation, seriousAccessibilityViolations } from './support/axe-check.ts';
import { chromiumLaunchOptions } from './support/chromium.ts';
import { gate } from './support/gate.ts';
import { liveCanvas } from './support/live-canvas.ts';
import {
  type RecordedRequest,
  reply,
  type ScriptedAnthropicServer,
} from './support/scripted-anthropic-server.ts';
import { createTestDatabase } from './support/test-database.ts';
import { startUiProcess, type UiProcess } from './support/ui-process.ts';
import { upgrade } from './support/websocket-upgrade.ts';

const screens = {
  'desktop-1': { width: 1280, height: 960 },
  'desktop-2': { width: 1024, height: 768 },
} as const;
type DesktopId = keyof typeof screens;

/** Rows of the screen compared between the live view and the desktop: XFCE's panel, along the top. */
const panelRows = 24;

function describeViolations(violations: AxeViolation[]): string {
  return violations.map((violation) => `${violation.impact} ${violation.id}: ${violation.help}`).join('\n');
}

/** Mean absolute difference per channel between two same-sized RGB rasters. */
function meanDifference(first: Uint8Array, second: Uint8Array): number {
  let total = 0;
  for (let index = 0; index < first.length; index += 1)
    total += Math.abs((first[index] ?? 0) - (second[index] ?? 0));
  return total / first.length;
}

/**
 * The noVNC canvas in a page's live view once it shows a whole frame of the desktop: its size, and the RGB
 * pixels of its top rows, read from the canvas itself.
 */
async function liveFrame(frame: FrameLocator, screen: { width: number; height: number }) {
  const canvas = await liveCanvas(frame, screen);
  const readTop = () =>
    canvas.evaluate((element, rows) => {
      const target = element as HTMLCanvasElement;
      const data = target.getContext('2d')?.getImageData(0, 0, target.width, rows).data ?? [];
      const rgb: number[] = [];
      for (let index = 0; index < data.length; index += 4)
        rgb.push(data[index] ?? 0, data[index + 1] ?? 0, data[index + 2] ?? 0);
      return rgb;
    }, panelRows);
  // The first frame arrives in pieces: wait until the top rows are not blank.
  const top = await eventually('a drawn frame in the live view', async () => {
    const pixels = await readTop();
    return pixels.some((value) => value > 16) ? pixels : undefined;
  });
  return Uint8Array.from(top);
}

/** The same top rows, from the desktop's own screenshot. */
async function desktopTop(pair: AgentFixture, width: number): Promise<Uint8Array> {
  const { data } = await pair.bytebotd.client.screenshot();
  return new Uint8Array(
    await sharp(data).extract({ left: 0, top: 0, width, height: panelRows }).removeAlpha().raw().toBuffer(),
  );
}

describe('the Desktops page: a fleet of two desktop+agent pairs, the UI on the first agent', () => {
  const token = randomBytes(24).toString('hex');
  const pairs = new Map<DesktopId, AgentFixture>();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let model: ScriptedAnthropicServer;
  let ui: UiProcess;
  let browser: Browser;
  let context: BrowserContext;
  const thinking = gate();
  const tasks: AgentTask[] = [];

  const pair = (id: DesktopId) => pairs.get(id) as AgentFixture;
  /** Each task looks once, waits at the gate while the test watches, then is done. */
  const step = (request: RecordedRequest) => {
    const turns = request.body.messages.filter((message) => message.role === 'assistant').length;
    if (turns === 0) return thinking.step(reply.computer({ action: 'screenshot' }))(request);
    return reply.tool('set_task_status', { status: 'completed', description: 'done' })(request);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    model = await startScriptedModel('anthropic');
    model.play(Array.from({ length: 50 }, () => step));
    const queue = `bytebot-test-${randomUUID()}`;
    for (const id of Object.keys(screens) as DesktopId[]) {
      const started = await startAgentFixture({
        // Desktop 2 has XFCE's panel: pixels its live view must show. Desktop 1 only a plain screen.
        desktop: {
          session: id === 'desktop-2' ? 'xfce' : 'none',
          vnc: true,
          screen: screens[id],
          // Every desktop and agent of a fleet shares one token: an agent reaches the others' bytebotd with it.
          environment: { BYTEBOT_TOKEN: token },
        },
        token,
        scriptedModel: model,
        model: 'claude-sonnet-4-6',
        environment: {
          DATABASE_URL: database.url,
          REDIS_URL: 'redis://127.0.0.1:6379',
          BYTEBOT_QUEUE_NAME: queue,
          BYTEBOT_DESKTOP_ID: id,
          BYTEBOT_AGENT_ID: `agent-of-${id}`,
          BYTEBOT_HEARTBEAT_MS: '500',
          BYTEBOT_DESKTOP_DOWN_AFTER_MS: '3000',
        },
      });
      pairs.set(id, started);
    }
    ui = await startUiProcess({
      agentUrl: pair('desktop-1').agent.url,
      bytebotdUrl: pair('desktop-1').bytebotd.url,
      token,
    });
    browser = await chromium.launch(chromiumLaunchOptions);
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await ui.login(page);
    await page.close();
    mkdirSync('test-results', { recursive: true });
  }, 240_000);

  afterAll(async () => {
    thinking.release();
    await browser?.close();
    await ui?.stop();
    for (const each of pairs.values()) await each.stop();
    await model?.close();
    await database?.drop();
  });

  const card = (page: Page, id: DesktopId) => page.locator(`.desktop-card[data-desktop-id="${id}"]`);

  it('lists both desktops with their state in words and a thumbnail that loaded, and passes axe', async () => {
    const page = await context.newPage();
    await page.goto(`${ui.url}/desktops`);
    await page.getByRole('heading', { name: 'Desktops', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Desktops', exact: true }).getAttribute('aria-current')).toBe(
      'page',
    );
    for (const id of Object.keys(screens) as DesktopId[]) {
      await expect.poll(() => card(page, id).getAttribute('data-state'), { timeout: 15_000 }).toBe('idle');
      expect(await card(page, id).locator('.desktop-state').textContent()).toBe('Idle');
      expect(await card(page, id).locator('.desktop-meta').textContent()).toMatch(
        new RegExp(
          `^Last seen \\d+ seconds? ago · ${screens[id].width}×${screens[id].height} · agent agent-of-${id}$`,
        ),
      );
      const thumbnail = card(page, id).locator('.desktop-thumbnail img');
      await thumbnail.waitFor({ timeout: 15_000 });
      await expect
        .poll(() => thumbnail.evaluate((image) => (image as HTMLImageElement).naturalWidth))
        .toBe(320);
      // Scaled by the desktop's own bytebotd, its aspect kept.
      expect(await thumbnail.evaluate((image) => (image as HTMLImageElement).naturalHeight)).toBe(
        (320 * screens[id].height) / screens[id].width,
      );
    }
    expect(await page.locator('[data-summary]').textContent()).toBe('2 desktops: 2 idle');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const violations = await seriousAccessibilityViolations(page);
      expect(violations, `desktops (${colorScheme}):\n${describeViolations(violations)}`).toEqual([]);
      await page.screenshot({ path: `test-results/ui-desktops-${colorScheme}.png` });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 420, height: 900 });
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, `desktops (narrow):\n${describeViolations(violations)}`).toEqual([]);
    await page.screenshot({ path: 'test-results/ui-desktops-narrow.png', fullPage: true });
    await page.close();
  });

  it("shows each desktop's task; desktop 2 opens its own live view, view-only, and takes over its task", async () => {
    // Two tasks through agent 1: each agent runs one at a time, so one runs on each desktop.
    for (const description of ['A task for whichever desktop', 'Another task for the other desktop']) {
      tasks.push(await pair('desktop-1').client.createTask({ description }));
    }
    await thinking.reached;
    const running = await eventually('both tasks on their desktops', async () => {
      const now = await Promise.all(tasks.map((task) => pair('desktop-1').client.getTask(task.id)));
      return now.every((task) => task.status === 'RUNNING' && task.desktopId) ? now : undefined;
    });
    expect(running.map((task) => task.desktopId).sort()).toEqual(['desktop-1', 'desktop-2']);
    const onTwo = running.find((task) => task.desktopId === 'desktop-2') as AgentTask;

    const page = await context.newPage();
    await page.goto(`${ui.url}/desktops`);
    for (const id of Object.keys(screens) as DesktopId[]) {
      await expect.poll(() => card(page, id).getAttribute('data-state'), { timeout: 15_000 }).toBe('busy');
    }
    const taskLink = card(page, 'desktop-2').locator('.desktop-task');
    await expect.poll(() => taskLink.textContent(), { timeout: 15_000 }).toBe(onTwo.description);
    expect(await taskLink.getAttribute('href')).toBe(`/tasks/${onTwo.id}`);
    expect(await card(page, 'desktop-2').locator('.desktop-state-words').textContent()).toBe(
      'Running a task',
    );

    await card(page, 'desktop-2').locator('.desktop-card-link').click();
    await page.waitForURL(`${ui.url}/desktops/desktop-2`);
    await page.getByRole('heading', { name: 'Desktop desktop-2' }).waitFor();
    // Desktop 2's screen (its size is its own), through agent 1 and the UI's server, as it is on desktop 2.
    const frame = page.frameLocator('iframe[title="The live desktop desktop-2"]');
    const shown = await liveFrame(frame, screens['desktop-2']);
    const onDesktop = await desktopTop(pair('desktop-2'), screens['desktop-2'].width);
    expect(meanDifference(shown, onDesktop)).toBeLessThan(4);
    const panel = await sharp(Buffer.from(onDesktop), {
      raw: { width: screens['desktop-2'].width, height: panelRows, channels: 3 },
    }).stats();
    expect(panel.channels[0]?.stdev ?? 0).toBeGreaterThan(5);
    expect(await page.locator('.desktop-view.view-only').count()).toBe(1);
    await page.screenshot({ path: 'test-results/ui-desktop-2.png' });

    // Take over: the task's takeover, sent through agent 1, reaches agent 2's loop; the view becomes live.
    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByRole('button', { name: 'Hand back to Bytebot' }).waitFor();
    expect(await page.locator('.desktop-view.interactive').count()).toBe(1);
    await eventually('the takeover, seen by agent 2', async () => {
      const task = await pair('desktop-2').client.getTask(onTwo.id);
      return task.control === 'USER' ? task : undefined;
    });
    await expect
      .poll(() => page.locator('.desktop-state').first().getAttribute('data-state'), { timeout: 15_000 })
      .toBe('taken-over');
    expect(await page.locator('.desktop-state-words').first().textContent()).toBe('Taken over by a person');
    await liveFrame(frame, screens['desktop-2']);
    await page.getByRole('button', { name: 'Hand back to Bytebot' }).click();
    await page.getByRole('button', { name: 'Take over' }).waitFor();
    expect((await pair('desktop-2').client.getTask(onTwo.id)).control).toBe('ASSISTANT');
    await page.close();
  });

  it("shows, on the page of a task agent 2 runs, desktop 2's live view", async () => {
    const onTwo = (await Promise.all(tasks.map((task) => pair('desktop-1').client.getTask(task.id)))).find(
      (task) => task.desktopId === 'desktop-2',
    ) as AgentTask;
    const page = await context.newPage();
    await page.goto(`${ui.url}/tasks/${onTwo.id}`);
    await page.getByText('Bytebot is working…').waitFor();
    const frame = page.frameLocator('iframe[title="The live desktop desktop-2"]');
    const shown = await liveFrame(frame, screens['desktop-2']);
    expect(
      meanDifference(shown, await desktopTop(pair('desktop-2'), screens['desktop-2'].width)),
    ).toBeLessThan(4);
    await page.screenshot({ path: 'test-results/ui-desktops-task.png' });
    const thumbnails = await page.locator('.thumbnail img').count();
    thinking.release();
    // Agent 2 runs it, the UI's socket is on agent 1: its screenshot and its end arrive live (no reload),
    // and the screenshot loads through agent 1.
    await page.getByText('Completed', { exact: true }).first().waitFor({ timeout: 60_000 });
    const screenshot = page.locator('.thumbnail img').nth(thumbnails);
    await screenshot.scrollIntoViewIfNeeded({ timeout: 30_000 }); // the thumbnails load lazily
    await expect
      .poll(() => screenshot.evaluate((image) => (image as HTMLImageElement).naturalWidth), {
        timeout: 30_000,
      })
      .toBe(screens['desktop-2'].width);
    await page.close();
    for (const task of tasks)
      await pair('desktop-1').client.waitForTask(task.id, ['COMPLETED'], { timeoutMs: 60_000 });
  });

  it('refuses every desktop route without a session, another origin, or a malformed id', async () => {
    const websocketBase = ui.url.replace('http', 'ws');
    const fleetSocket = `${websocketBase}/api/agent/desktops/desktop-2/websockify`;
    const page = await fetch(`${ui.url}/desktops`, { redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([303, '/login?next=%2Fdesktops']);
    for (const path of [
      '/api/agent/desktops',
      '/api/agent/desktops/desktop-2/screenshot',
      '/api/agent/desktops/desktop-2/live-view',
    ]) {
      expect([path, (await fetch(`${ui.url}${path}`)).status]).toEqual([path, 401]);
    }
    expect((await upgrade(fleetSocket, { origin: ui.url })).status).toBe(401);

    const login = await fetch(`${ui.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: ui.password, next: '/desktops' }).toString(),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    // With the session: a thumbnail of the size asked for, never cached; an unknown desktop is the agent's 404.
    const thumbnail = await fetch(`${ui.url}/api/agent/desktops/desktop-2/screenshot?width=200`, {
      headers: { cookie },
    });
    expect([thumbnail.status, thumbnail.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(thumbnail.headers.get('cache-control')).toBe('no-store');
    const { width, height } = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect([width, height]).toEqual([200, 150]);
    const unknown = await fetch(`${ui.url}/api/agent/desktops/nowhere/screenshot`, { headers: { cookie } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('"nowhere"');

    // The websocket: another origin or none is refused here; the UI's own gets desktop 2's VNC server.
    const crossOrigin = await upgrade(fleetSocket, { cookie, origin: 'http://127.0.0.1:1' });
    expect([crossOrigin.status, crossOrigin.body]).toEqual([
      403,
      expect.stringContaining('ORIGIN_NOT_ALLOWED'),
    ]);
    expect((await upgrade(fleetSocket, { cookie })).status).toBe(403);
    const own = await upgrade(fleetSocket, { cookie, origin: ui.url });
    expect([own.status, own.body]).toEqual([101, expect.stringMatching(/^RFB 003\.00\d/)]);
    for (const [path, status] of [
      ['/api/agent/desktops/a%20b/websockify', 404],
      ['/api/agent/desktops/desktop-2/../desktop-1/websockify?token=x', 101],
      ['/api/agent/desktops/desktop-2%2f..%2fx/websockify', 400],
      ['/api/agent/desktops/nowhere/websockify', 404],
    ] as const) {
      expect([path, (await upgrade(`${websocketBase}${path}`, { cookie, origin: ui.url })).status]).toEqual([
        path,
        status,
      ]);
    }

    // The agent itself: its token (a header, or ?token= for a browser), and the UI's origin only.
    const agentSocket = `${pair('desktop-1').agent.url.replace('http', 'ws')}/desktops/desktop-2/websockify`;
    expect((await upgrade(agentSocket, {})).status).toBe(401);
    expect((await upgrade(`${agentSocket}?token=wrong`, {})).status).toBe(401);
    expect((await upgrade(agentSocket, { authorization: `Bearer ${token}`, origin: ui.url })).status).toBe(
      403,
    );
    const program = await upgrade(agentSocket, { authorization: `Bearer ${token}` });
    expect([program.status, program.body]).toEqual([101, expect.stringMatching(/^RFB 003\.00\d/)]);
  });
});
