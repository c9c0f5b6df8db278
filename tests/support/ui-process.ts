import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export interface UiProcess {
  url: string;
  pid: number;
  password: string;
  /** Logs in through the login page; the browser context keeps the session cookie. */
  login(page: Page): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

const repositoryRoot = new URL('../../', import.meta.url).pathname;

/** Starts the UI server (`npm run start:ui`, after `npm run build:ui`) on a free port. */
export async function startUiProcess(options: {
  agentUrl: string;
  bytebotdUrl: string;
  token: string;
  environment?: Record<string, string>;
}): Promise<UiProcess> {
  const password = `test-${randomUUID()}`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repositoryRoot, 'packages/ui/server/ui-server.ts')],
    {
      cwd: repositoryRoot,
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
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolvePromise, rejectPromise) => {
    const timer = setTimeout(
      () => rejectPromise(new Error(`the UI did not start in 60 s:\n${output}`)),
      60_000,
    );
    child.stdout?.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectPromise(new Error(`the UI exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid as number,
    password,
    async login(page) {
      await page.goto(`${url}/login`);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${url}/`);
    },
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
