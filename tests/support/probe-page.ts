import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningDesktop } from '@bytebot/desktop';

export interface ProbeEvent {
  type: string;
  [field: string]: unknown;
}

export interface ProbePage {
  events: ProbeEvent[];
  /** Resolves with the first event (already received or still to come) that matches. */
  waitFor(predicate: (event: ProbeEvent) => boolean, timeoutMs?: number): Promise<ProbeEvent>;
  close(): Promise<void>;
}

const html = readFileSync(new URL('./probe-page.html', import.meta.url));

/**
 * A real application to aim at: Chromium in kiosk mode on the test display, showing a page whose
 * elements sit at known screen pixels and which reports every click, drag, scroll and keystroke
 * back to the test over HTTP.
 */
export async function openProbePage(desktop: RunningDesktop): Promise<ProbePage> {
  const events: ProbeEvent[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/event') {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        events.push(JSON.parse(body) as ProbeEvent);
        for (const wake of waiters) wake();
        response.end();
      });
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const port = (server.address() as AddressInfo).port;
  const profile = mkdtempSync(join(tmpdir(), 'probe-chromium-'));
  const browser = spawn(
    '/usr/bin/chromium',
    [
      '--kiosk',
      '--no-sandbox',
      '--no-first-run',
      '--disable-gpu',
      // A separate GPU process never presents its frames on Xvfb here: the window stays blank.
      '--in-process-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-translate',
      '--disable-features=Translate,MediaRouter',
      '--password-store=basic',
      '--force-device-scale-factor=1',
      `--user-data-dir=${profile}`,
      `http://127.0.0.1:${port}/`,
    ],
    { env: { ...process.env, ...desktop.environment(), HOME: profile }, stdio: 'ignore', detached: true },
  );

  const waitFor = (predicate: (event: ProbeEvent) => boolean, timeoutMs = 15_000) =>
    new Promise<ProbeEvent>((resolvePromise, rejectPromise) => {
      const check = () => {
        const found = events.find(predicate);
        if (!found) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolvePromise(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        rejectPromise(
          new Error(`probe page: no matching event in ${timeoutMs} ms; got ${JSON.stringify(events)}`),
        );
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });

  const page: ProbePage = {
    events,
    waitFor,
    async close() {
      if (browser.pid !== undefined) {
        try {
          process.kill(-browser.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      server.closeAllConnections();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  try {
    await waitFor((event) => event.type === 'ready', 45_000);
  } catch (error) {
    await page.close();
    throw error;
  }
  return page;
}
