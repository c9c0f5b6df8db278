import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestBodyError, readJsonBody } from '@bytebot/config';
import type { PageRecord } from './eval-task.ts';

export interface SuiteWebServer {
  url: string;
  /** A fresh space for one task run: its pages' addresses and what they recorded, apart from every other run. */
  openRun(): { pageUrl(path: string): string; records(): PageRecord[]; close(): void };
  close(): Promise<void>;
}

const maxRecordBytes = 256 * 1024;

/** The cookie that carries a run's record secret from the served page to its posts. */
const secretCookie = 'bytebot-record';

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Keeps what a page posted, or says why not (the status and the message to answer with). */
async function record(
  request: IncomingMessage,
  records: PageRecord[],
): Promise<{ status: number; message: string } | undefined> {
  let body: { page?: unknown; data?: unknown } | null;
  try {
    body = (await readJsonBody(request, { maxBytes: maxRecordBytes })) as typeof body;
  } catch (error) {
    if (error instanceof RequestBodyError) return error;
    throw error;
  }
  if (typeof body?.page !== 'string' || typeof body.data !== 'object' || body.data === null) {
    return { status: 400, message: 'expected {"page": string, "data": object}' };
  }
  records.push({ page: body.page, data: body.data as Record<string, unknown>, at: new Date().toISOString() });
  return undefined;
}

/**
 * Serves a suite's pages to Firefox on the desktop and keeps what they post back (their form values, their
 * DOM state), so checkers read the page's real state. Each task run gets its own random path prefix: two
 * tasks in parallel never see each other's records. A post counts only with the run's secret, which the
 * server sets as an HttpOnly cookie when it serves a page (never in the address, which the model sees): a
 * record made up in the desktop's terminal is refused. It proves a served page, not Firefox: a script that
 * fetches the page first and replays the cookie still gets through.
 */
export async function startSuiteWebServer(pages: Record<string, string>): Promise<SuiteWebServer> {
  const runs = new Map<string, { records: PageRecord[]; secret: string }>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/run\/([0-9a-f]{16})(\/.*)$/.exec(url.pathname);
    const run = match?.[1] ? runs.get(match[1]) : undefined;
    const path = match?.[2] ?? '';
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      response.end(body);
    };
    if (!run) {
      send(404, 'text/plain; charset=utf-8', 'no such page');
      return;
    }
    const { records, secret } = run;
    if (request.method === 'POST' && path === '/record') {
      if (!sameSecret(cookieValue(request, secretCookie), secret)) {
        // Drained, not read: a forged post leaves no trace a checker could see.
        request.resume();
        send(403, 'application/json', JSON.stringify({ error: 'only the served page may record' }));
        return;
      }
      record(request, records).then(
        (refusal) =>
          refusal
            ? send(refusal.status, 'application/json', JSON.stringify({ error: refusal.message }))
            : send(204, 'text/plain', ''),
        (error: Error) => send(500, 'application/json', JSON.stringify({ error: error.message })),
      );
      return;
    }
    const page = request.method === 'GET' ? pages[path] : undefined;
    if (page === undefined) {
      send(404, 'text/plain; charset=utf-8', 'no such page');
      return;
    }
    // Path-scoped, so two runs in one Firefox keep their secrets apart; Strict, so no other site posts with it.
    send(200, 'text/html; charset=utf-8', page, {
      'set-cookie': `${secretCookie}=${secret}; Path=/run/${match?.[1]}/; HttpOnly; SameSite=Strict`,
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    openRun() {
      const key = randomBytes(8).toString('hex');
      const records: PageRecord[] = [];
      runs.set(key, { records, secret: randomBytes(24).toString('hex') });
      return {
        pageUrl: (path) => `${url}/run/${key}${path.startsWith('/') ? path : `/${path}`}`,
        records: () => [...records],
        close: () => runs.delete(key),
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}
