import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { anthropicError, anthropicMessage, type JsonReply, Script, startJsonServer } from '@bytebot/eval';

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
  const script = new Script<RecordedRequest, ScriptStep>(steps);
  const server = await startJsonServer(async (request): Promise<JsonReply> => {
    const path = request.url.pathname;
    if (request.method !== 'POST' || path !== '/v1/messages')
      return anthropicError(404, 'not_found_error', `no route ${request.method} ${path}`);
    const recorded: RecordedRequest = {
      path,
      headers: request.headers,
      body: JSON.parse(request.raw) as RecordedRequest['body'],
    };
    const step = script.next(recorded);
    if (!step) return anthropicError(500, 'api_error', 'the script has no more steps');
    const scripted = await step(recorded);
    // Short retry-after so the SDK's retries of 429/529 do not slow the tests down.
    if ('status' in scripted)
      return anthropicError(scripted.status, scripted.errorType, scripted.message, {
        'retry-after-ms': '20',
      });
    return anthropicMessage({
      model: recorded.body.model,
      content: scripted.content,
      stopReason: scripted.stopReason ?? 'end_turn',
      usage: { input: scripted.usage?.input ?? 1000, output: scripted.usage?.output ?? 50 },
    });
  });
  return {
    url: server.url,
    requests: script.requests,
    play: (next) => script.play(next),
    close: () => server.close(),
  };
}
