import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type JsonReply, Script, startJsonServer } from '@bytebot/eval';

/** A Chat Completions message as clients send it (content a string or an array of parts). */
export interface RecordedMessage {
  role: string;
  content?: string | Array<Record<string, unknown>> | null;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
  [field: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    messages: RecordedMessage[];
    tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
    [field: string]: unknown;
  };
}

export type ScriptedReply =
  | {
      content: string | null;
      /** `arguments` is the raw string the model sends (usually JSON, but not always). */
      toolCalls?: Array<{ name: string; arguments: string }>;
      finishReason?: string;
      usage?: { prompt?: number; completion?: number; cached?: number };
    }
  | { status: number; errorType: string; message: string; code?: string | null };

/** One step of a conversation: what the model answers to the request it gets. */
export type ScriptStep = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedOpenAIServer {
  /** The server's root; the SDK's base URL is `${url}/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** Replaces the steps still to be played. */
  play(steps: ScriptStep[]): void;
  close(): Promise<void>;
}

/** Helpers to write steps the way the real model answers. */
export const reply = {
  text:
    (text: string): ScriptStep =>
    () => ({ content: text, finishReason: 'stop' }),
  /** A function call; `say` is text the model writes beside it. */
  tool:
    (name: string, input: Record<string, unknown>, say?: string): ScriptStep =>
    () => ({
      content: say ?? null,
      toolCalls: [{ name, arguments: JSON.stringify(input) }],
      finishReason: 'tool_calls',
    }),
  /** A function call whose arguments string is sent as it is (e.g. not JSON). */
  rawTool:
    (name: string, rawArguments: string): ScriptStep =>
    () => ({ content: null, toolCalls: [{ name, arguments: rawArguments }], finishReason: 'tool_calls' }),
  error:
    (status: number, errorType: string, message: string, code: string | null = null): ScriptStep =>
    () => ({ status, errorType, message, code }),
};

/**
 * A local server speaking OpenAI's Chat Completions API (the JSON the real API sends, errors included),
 * so the real SDK can be pointed at it through its base URL. It plays scripted steps in order and
 * records every request.
 */
export async function startScriptedOpenAIServer(steps: ScriptStep[] = []): Promise<ScriptedOpenAIServer> {
  const script = new Script<RecordedRequest, ScriptStep>(steps);
  const requestId = () => ({ 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` });
  const error = (status: number, type: string, message: string, code: string | null): JsonReply => ({
    status,
    body: { error: { message, type, param: null, code } },
    // Short retry-after so the SDK's retries of 429/5xx do not slow the tests down.
    headers: { ...requestId(), 'retry-after-ms': '20' },
  });
  const server = await startJsonServer(async (request): Promise<JsonReply> => {
    const path = request.url.pathname;
    if (request.method !== 'POST' || path !== '/v1/chat/completions')
      return error(404, 'invalid_request_error', `Invalid URL (${request.method} ${path})`, null);
    const recorded: RecordedRequest = {
      path,
      headers: request.headers,
      body: JSON.parse(request.raw) as RecordedRequest['body'],
    };
    const step = script.next(recorded);
    if (!step) return error(500, 'server_error', 'the script has no more steps', null);
    const scripted = await step(recorded);
    if ('status' in scripted)
      return error(scripted.status, scripted.errorType, scripted.message, scripted.code ?? null);
    const prompt = scripted.usage?.prompt ?? 1000;
    const completion = scripted.usage?.completion ?? 50;
    return {
      status: 200,
      headers: requestId(),
      body: {
        id: `chatcmpl-${randomUUID().replaceAll('-', '').slice(0, 29)}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: recorded.body.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: scripted.content,
              refusal: null,
              annotations: [],
              ...(scripted.toolCalls
                ? {
                    tool_calls: scripted.toolCalls.map((call) => ({
                      id: `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
                      type: 'function',
                      function: { name: call.name, arguments: call.arguments },
                    })),
                  }
                : {}),
            },
            logprobs: null,
            finish_reason: scripted.finishReason ?? (scripted.toolCalls ? 'tool_calls' : 'stop'),
          },
        ],
        usage: {
          prompt_tokens: prompt,
          completion_tokens: completion,
          total_tokens: prompt + completion,
          prompt_tokens_details: { cached_tokens: scripted.usage?.cached ?? 0, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: 0,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
        service_tier: 'default',
        system_fingerprint: null,
      },
    };
  });
  return {
    url: server.url,
    requests: script.requests,
    play: (next) => script.play(next),
    close: () => server.close(),
  };
}
