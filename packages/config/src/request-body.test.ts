import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonBodyOptions, RequestBodyError, readJsonBody } from './request-body.ts';

interface Answer {
  status: number;
  body: { code?: string; message?: string; value?: unknown; path?: string[]; reusable?: boolean };
  connection: string | undefined;
}

/** A server answering each POST with what readJsonBody made of its body, under the options in the path. */
function startServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const options = JSON.parse(decodeURIComponent((request.url ?? '/').slice(1))) as JsonBodyOptions;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    readJsonBody(request, options).then(
      (value) => send(200, { value }),
      (error: unknown) => {
        if (!(error instanceof RequestBodyError)) return send(500, { message: String(error) });
        send(
          error.status,
          { code: error.code, message: error.message, path: error.path, reusable: error.connectionReusable },
          error.connectionReusable ? {} : { connection: 'close' },
        );
      },
    );
  });
  return new Promise((resolvePromise) => server.listen(0, '127.0.0.1', () => resolvePromise(server)));
}

/** Posts `body`, in chunks of 16 KiB without a content-length when `chunked`. */
function post(
  server: Server,
  options: JsonBodyOptions,
  body: string,
  headers: Record<string, string> = {},
  chunked = false,
): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolvePromise, rejectPromise) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/${encodeURIComponent(JSON.stringify(options))}`,
        headers: chunked ? headers : { 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (answer: IncomingMessage) => {
        let text = '';
        answer.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        answer.on('end', () =>
          resolvePromise({
            status: answer.statusCode ?? 0,
            body: JSON.parse(text),
            connection: answer.headers.connection,
          }),
        );
      },
    );
    outgoing.on('error', rejectPromise);
    if (!chunked) {
      outgoing.end(body);
      return;
    }
    const piece = 16 * 1024;
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const chunk = body.slice(offset, offset + piece);
        offset += piece;
        if (!outgoing.write(chunk)) {
          outgoing.once('drain', writeMore);
          return;
        }
      }
      outgoing.end();
    };
    // A server that answered and closed before the end makes further writes fail: that is the answer.
    outgoing.on('error', () => undefined);
    writeMore();
  });
}

describe('readJsonBody', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolvePromise) => server.close(resolvePromise));
  });

  it('parses a JSON body within the limit', async () => {
    const answer = await post(server, { maxBytes: 100 }, '{"action":"screenshot"}');
    expect(answer).toMatchObject({ status: 200, body: { value: { action: 'screenshot' } } });
  });

  it('refuses a declared length over the limit with 413 naming the limit, before reading it', async () => {
    const answer = await post(server, { maxBytes: 100 }, JSON.stringify({ text: 'a'.repeat(200) }));
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'body: 211 bytes, the limit is 100',
    });
  });

  it('refuses a chunked body as soon as it passes the limit, and says the connection cannot be reused', async () => {
    const answer = await post(
      server,
      { maxBytes: 1000 },
      JSON.stringify({ text: 'a'.repeat(200_000) }),
      {},
      true,
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'body: more than 1000 bytes, the limit is 1000',
      reusable: false,
    });
    expect(answer.connection).toBe('close');
  });

  it('reads an oversized body to its end when it is within drainUpToBytes, keeping the connection', async () => {
    const body = JSON.stringify({ text: 'a'.repeat(100_000) });
    for (const chunked of [false, true]) {
      const answer = await post(server, { maxBytes: 1000, drainUpToBytes: 1_000_000 }, body, {}, chunked);
      expect([chunked, answer.status, answer.body.reusable]).toEqual([chunked, 413, true]);
    }
    const past = await post(server, { maxBytes: 1000, drainUpToBytes: 50_000 }, body, {}, true);
    expect([past.status, past.body.reusable]).toEqual([413, false]);
  });

  it.each([
    ['bad JSON', '{"action":', 'INVALID_JSON', /^body: not valid JSON \(.+\)$/],
    ['an empty body', '', 'INVALID_JSON', /^body: expected JSON, got an empty body$/],
    ['only spaces', '   ', 'INVALID_JSON', /empty body/],
  ])('answers %s with 400 naming the problem', async (_name, body, code, message) => {
    const answer = await post(server, { maxBytes: 100 }, body);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(code);
    expect(answer.body.message).toMatch(message);
  });

  it('refuses another content type with 415 when JSON is required, and accepts JSON types', async () => {
    const options = { maxBytes: 100, requireJsonType: true };
    const form = await post(server, options, 'a=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form).toMatchObject({
      status: 415,
      body: {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'content-type: expected application/json, got "application/x-www-form-urlencoded"',
        path: ['content-type'],
      },
    });
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      expect((await post(server, options, '{}', { 'content-type': type })).status).toBe(200);
    }
    expect((await post(server, { maxBytes: 100 }, '{}', { 'content-type': 'text/plain' })).status).toBe(200);
  });
});
