import { randomBytes } from 'node:crypto';
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
 * tasks in parallel never see each other's records.
 */
export async function startSuiteWebServer(pages: Record<string, string>): Promise<SuiteWebServer> {
  const runs = new Map<string, PageRecord[]>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/run\/([0-9a-f]{16})(\/.*)$/.exec(url.pathname);
    const records = match?.[1] ? runs.get(match[1]) : undefined;
    const path = match?.[2] ?? '';
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (!records) {
      send(404, 'text/plain; charset=utf-8', 'no such page');
      return;
    }
    if (request.method === 'POST' && path === '/record') {
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
    send(200, 'text/html; charset=utf-8', page);
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    openRun() {
      const key = randomBytes(8).toString('hex');
      const records: PageRecord[] = [];
      runs.set(key, records);
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
