import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type ServiceProcess, startServiceProcess } from './service-process.ts';

export interface UiProcess extends ServiceProcess {
  password: string;
  /** Logs in through the login page; the browser context keeps the session cookie. */
  login(page: Page): Promise<void>;
}

/** Starts the UI server (`npm run start:ui`, after `npm run build:ui`) on a free port, with a password of its own. */
export async function startUiProcess(options: {
  agentUrl: string;
  bytebotdUrl: string;
  token: string;
  environment?: Record<string, string>;
  /** The same password again, e.g. to restart a UI on the same data directory; a new one by default. */
  password?: string;
}): Promise<UiProcess> {
  const password = options.password ?? `test-${randomUUID()}`;
  const service = await startServiceProcess({
    name: 'the UI',
    script: 'packages/ui/server/ui-server.ts',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      UI_PORT: '0',
      AGENT_URL: options.agentUrl,
      BYTEBOTD_URL: options.bytebotdUrl,
      BYTEBOT_TOKEN: options.token,
      BYTEBOT_DATA_DIR: mkdtempSync(join(tmpdir(), 'ui-data-')),
      BYTEBOT_UI_PASSWORD: password,
      ...options.environment,
    },
  });
  return {
    ...service,
    password,
    async login(page) {
      await page.goto(`${service.url}/login`);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${service.url}/`);
    },
  };
}

/** Logs in with the UI's password, as a browser's form does, and returns the session cookie (`name=value`). */
export async function sessionCookie(ui: UiProcess): Promise<string> {
  const login = await fetch(`${ui.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password: ui.password }).toString(),
  });
  return (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
}
