import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    system?: unknown;
    tools?: Array<Record<string, unknown>>;
    messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
    [field: string]: unknown;
  };
}

export type ScriptedReply =
  | {
      content: Array<Record<string, unknown>>;
      stopReason?: string;
      usage?: { input?: number; output?: number };
    }
  | { status: number; errorType: string; message: string };

/** One step of a conversation: what the model answers to the request it gets. */
export type ScriptStep = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedAnthropicServer {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the steps still to be played. */
  play(steps: ScriptStep[]): void;
  close(): Promise<void>;
}

let toolUseCounter = 0;
const nextToolUseId = () => {
  toolUseCounter += 1;
  return `toolu_${toolUseCounter}_${randomUUID().slice(0, 8)}`;
};

/** Helpers to write steps the way the real model answers. */
export const reply = {
  text:
    (text: string): ScriptStep =>
    () => ({ content: [{ type: 'text', text }], stopReason: 'end_turn' }),
  computer:
    (input: Record<string, unknown>, say?: string): ScriptStep =>
    () => ({
      content: [
        ...(say ? [{ type: 'text', text: say }] : []),
        {
          type: 'tool_use',
          id: nextToolUseId(),
          name: 'computer',
          input,
        },
      ],
      stopReason: 'tool_use',
    }),
  tool:
    (name: string, input: Record<string, unknown>): ScriptStep =>
    () => ({
      content: [{ type: 'tool_use', id: nextToolUseId(), name, input }],
      stopReason: 'tool_use',
    }),
  error:
    (status: number, errorType: string, message: string): ScriptStep =>
    () => ({ status, errorType, message }),
};

/**
 * A local server speaking Anthropic's Messages API (the JSON the real API sends, errors included), so
 * the real SDK can be pointed at it through its base URL. It plays scripted steps in order and records
 * every request.
 */
export async function startScriptedAnthropicServer(
  steps: ScriptStep[] = [],
): Promise<ScriptedAnthropicServer> {
  let remaining = [...steps];
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8').on('data', (chunk: string) => {
      raw += chunk;
    });
    request.on('end', async () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, {
          'content-type': 'application/json',
          'request-id': `req_${randomUUID()}`,
          ...headers,
        });
        response.end(JSON.stringify(body));
      };
      if (request.method !== 'POST' || path !== '/v1/messages') {
        send(404, {
          type: 'error',
          error: { type: 'not_found_error', message: `no route ${request.method} ${path}` },
        });
        return;
      }
      const recorded: RecordedRequest = {
        path,
        headers: request.headers,
        body: JSON.parse(raw) as RecordedRequest['body'],
      };
      requests.push(recorded);
      const step = remaining.shift();
      if (!step) {
        send(500, { type: 'error', error: { type: 'api_error', message: 'the script has no more steps' } });
        return;
      }
      const scripted = await step(recorded);
      if ('status' in scripted) {
        // Short retry-after so the SDK's retries of 429/529 do not slow the tests down.
        send(
          scripted.status,
          { type: 'error', error: { type: scripted.errorType, message: scripted.message } },
          {
            'retry-after-ms': '20',
          },
        );
        return;
      }
      send(200, {
        id: `msg_${randomUUID().replaceAll('-', '')}`,
        type: 'message',
        role: 'assistant',
        model: recorded.body.model,
        content: scripted.content,
        stop_reason: scripted.stopReason ?? 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: scripted.usage?.input ?? 1000,
          output_tokens: scripted.usage?.output ?? 50,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      });
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    play(next) {
      remaining = [...next];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}
