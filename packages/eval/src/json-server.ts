import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestBodyError, readRequestBody } from '@bytebot/config';

/** A request as a stand-in API sees it: the body whole, not yet parsed (a body that is not JSON is a case to answer). */
export interface JsonRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  raw: string;
}

export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as it is instead of the body as JSON, with its own content type (a stream of server-sent events). */
  raw?: { contentType: string; text: string };
}

export interface JsonServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * Far above what any provider accepts (Anthropic's Messages API: 32 MB), so that a stand-in's own rules
 * answer an oversized request the way the provider does; past it the stand-in protects only itself.
 */
const maxStandInBodyBytes = 256 * 1024 * 1024;

/**
 * A local HTTP server answering every request with JSON, for stand-ins of model APIs (the scripted
 * model of evaluations, and each provider's scripted server in the tests). A handler that throws is
 * answered with a 500 naming the error, so a broken script fails the call, not the process.
 */
export async function startJsonServer(
  handle: (request: JsonRequest) => JsonReply | Promise<JsonReply>,
  contentType = 'application/json',
): Promise<JsonServer> {
  const server = createServer(async (request, response) => {
    let reply: JsonReply;
    try {
      reply = await handle({
        method: request.method ?? 'GET',
        url: new URL(request.url ?? '/', 'http://127.0.0.1'),
        headers: request.headers,
        raw: (await readRequestBody(request, { maxBytes: maxStandInBodyBytes })).toString('utf8'),
      });
    } catch (error) {
      reply =
        error instanceof RequestBodyError
          ? { status: error.status, body: { error: { message: `stand-in server: ${error.message}` } } }
          : { status: 500, body: { error: { message: `stand-in server: ${(error as Error).message}` } } };
    }
    response.writeHead(reply.status, {
      'content-type': reply.raw?.contentType ?? contentType,
      ...reply.headers,
    });
    response.end(reply.raw ? reply.raw.text : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}

/** Steps played in order, one per request, and every request recorded: the common core of the scripted servers. */
export class Script<Request, Step> {
  readonly requests: Request[] = [];
  private remaining: Step[];

  constructor(steps: Step[] = []) {
    this.remaining = [...steps];
  }

  /** Replaces the steps still to be played. */
  play(steps: Step[]): void {
    this.remaining = [...steps];
  }

  /** Records the request and hands out the next step (undefined once the script has run out). */
  next(request: Request): Step | undefined {
    this.requests.push(request);
    return this.remaining.shift();
  }
}
