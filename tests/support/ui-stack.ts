import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { type AgentFixture, startAgentFixture } from './agent-fixture.ts';
import { chromiumLaunchOptions } from './chromium.ts';
import type { TestDesktopOptions } from './test-desktop.ts';
import { startUiProcess, type UiProcess } from './ui-process.ts';

/** A desktop, a scripted model, an agent, the UI server on them, and Chromium logged in to the UI. */
export interface UiStack {
  fixture: AgentFixture;
  ui: UiProcess;
  browser: Browser;
  /** Holds the session cookie of one login; pages opened in it are logged in. */
  context: BrowserContext;
  stop(): Promise<void>;
}

/** Starts the stack of a browser test of the UI (after `npm run build:ui`); stop() undoes it, whatever started. */
export async function startUiStack(
  options: { desktop?: TestDesktopOptions; agentEnvironment?: Record<string, string> } = {},
): Promise<UiStack> {
  let fixture: AgentFixture | undefined;
  let ui: UiProcess | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await ui?.stop();
    await fixture?.stop();
  };
  try {
    fixture = await startAgentFixture({
      desktop: options.desktop ?? {},
      ...(options.agentEnvironment ? { environment: options.agentEnvironment } : {}),
    });
    ui = await startUiProcess({
      agentUrl: fixture.agent.url,
      bytebotdUrl: fixture.bytebotd.url,
      token: fixture.bytebotd.token as string,
    });
    browser = await chromium.launch(chromiumLaunchOptions);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await ui.login(page);
    await page.close();
    mkdirSync('test-results', { recursive: true });
    return { fixture, ui, browser, context, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
