import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PageRecord } from './eval-task.ts';

export interface SuiteWebServer {
  url: string;
  /** A fresh space for one task run: its pages' addresses and what they recorded, apart from every other run. */
  openRun(): { pageUrl(path: string): string; records(): PageRecord[]; close(): void };
  close(): Promise<void>;
}

const maxRecordBytes = 256 * 1024;

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
      let raw = '';
      request.setEncoding('utf8').on('data', (chunk: string) => {
        raw += chunk;
        if (raw.length > maxRecordBytes) request.destroy();
      });
      request.on('end', () => {
        try {
          const body = JSON.parse(raw) as { page?: unknown; data?: unknown };
          if (typeof body.page !== 'string' || typeof body.data !== 'object' || body.data === null) {
            send(
              400,
              'application/json',
              JSON.stringify({ error: 'expected {"page": string, "data": object}' }),
            );
            return;
          }
          records.push({
            page: body.page,
            data: body.data as Record<string, unknown>,
            at: new Date().toISOString(),
          });
          send(204, 'text/plain', '');
        } catch {
          send(400, 'application/json', JSON.stringify({ error: 'the body is not JSON' }));
        }
      });
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
