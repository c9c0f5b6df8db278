import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type JsonReply, Script, startJsonServer } from '@bytebot/eval';

/** One part of a Gemini `Content`, as it crosses the wire (camelCase JSON). */
export type GeminiPart = Record<string, unknown> & {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  functionCall?: { name: string; args?: Record<string, unknown>; id?: string };
  functionResponse?: { name: string; id?: string; response: Record<string, unknown> };
  thoughtSignature?: string;
};

export interface RecordedRequest {
  /** e.g. /v1beta/models/gemini-test:generateContent */
  path: string;
  /** The model named in the path. */
  model: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: {
    contents: Array<{ role: string; parts: GeminiPart[] }>;
    systemInstruction?: { role?: string; parts: GeminiPart[] };
    tools?: Array<{
      functionDeclarations?: Array<{
        name: string;
        description?: string;
        parametersJsonSchema?: Record<string, unknown>;
        parameters?: Record<string, unknown>;
      }>;
    }>;
    generationConfig?: Record<string, unknown>;
    [field: string]: unknown;
  };
}

export type ScriptedReply =
  | {
      parts: GeminiPart[];
      finishReason?: string;
      usage?: { prompt?: number; candidates?: number; cached?: number; thoughts?: number };
    }
  | { status: number; message: string; errorStatus?: string; headers?: Record<string, string> };

/** One step of a conversation: what the model answers to the request it gets. */
export type ScriptStep = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedGeminiServer {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the steps still to be played. */
  play(steps: ScriptStep[]): void;
  close(): Promise<void>;
}

/** The canonical status names Google's APIs send beside the HTTP code (google.rpc.Code). */
const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export interface CallOptions {
  /** Text the model says before the call. */
  say?: string;
  /** Gemini 3 models send an id with each call; older ones do not. */
  id?: string;
  /** Gemini 3 models sign their function calls; the signature must come back with the call. */
  thoughtSignature?: string;
}

/** Helpers to write steps the way the real model answers. */
export const reply = {
  text:
    (text: string): ScriptStep =>
    () => ({ parts: [{ text }], finishReason: 'STOP' }),
  /** A function call; Gemini ends a turn of calls with finishReason STOP (there is no "tool_use" reason). */
  call:
    (name: string, args: Record<string, unknown>, options: CallOptions = {}): ScriptStep =>
    () => ({
      parts: [
        ...(options.say ? [{ text: options.say }] : []),
        {
          functionCall: { name, args, ...(options.id ? { id: options.id } : {}) },
          ...(options.thoughtSignature ? { thoughtSignature: options.thoughtSignature } : {}),
        },
      ],
      finishReason: 'STOP',
    }),
  /** Several calls in one turn (parallel function calling). */
  calls:
    (...calls: Array<{ name: string; args: Record<string, unknown> }>): ScriptStep =>
    () => ({
      parts: calls.map((call) => ({ functionCall: { name: call.name, args: call.args } })),
      finishReason: 'STOP',
    }),
  error:
    (status: number, message: string, headers?: Record<string, string>): ScriptStep =>
    () => ({ status, message, ...(headers ? { headers } : {}) }),
};

/**
 * A local server speaking the Gemini API's generateContent (the JSON the real API sends, errors
 * included), so the real @google/genai SDK can be pointed at it through `httpOptions.baseUrl`. It plays
 * scripted steps in order and records every request.
 */
export async function startScriptedGeminiServer(steps: ScriptStep[] = []): Promise<ScriptedGeminiServer> {
  const script = new Script<RecordedRequest, ScriptStep>(steps);
  const error = (
    status: number,
    message: string,
    headers: Record<string, string> = {},
    errorStatus?: string,
  ): JsonReply => ({
    status,
    body: { error: { code: status, message, status: errorStatus ?? statusNames[status] ?? 'UNKNOWN' } },
    headers,
  });
  const server = await startJsonServer(async (request): Promise<JsonReply> => {
    const route = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(request.url.pathname);
    if (request.method !== 'POST' || !route?.[1])
      return error(404, `no route ${request.method} ${request.url.pathname}`);
    const recorded: RecordedRequest = {
      path: request.url.pathname,
      model: decodeURIComponent(route[1]),
      query: request.url.searchParams,
      headers: request.headers,
      body: JSON.parse(request.raw) as RecordedRequest['body'],
    };
    // What the real API answers to a request without a key (recorded, but no step is spent on it).
    if (!request.headers['x-goog-api-key']) {
      script.requests.push(recorded);
      return error(403, "Method doesn't allow unregistered callers (callers without established identity).");
    }
    const step = script.next(recorded);
    if (!step) return error(500, 'the script has no more steps');
    const scripted = await step(recorded);
    if ('status' in scripted)
      return error(scripted.status, scripted.message, scripted.headers, scripted.errorStatus);
    const prompt = scripted.usage?.prompt ?? 1000;
    const candidates = scripted.usage?.candidates ?? 50;
    const thoughts = scripted.usage?.thoughts;
    const cached = scripted.usage?.cached;
    return {
      status: 200,
      body: {
        candidates: [
          {
            content: { role: 'model', parts: scripted.parts },
            finishReason: scripted.finishReason ?? 'STOP',
            index: 0,
          },
        ],
        usageMetadata: {
          promptTokenCount: prompt,
          candidatesTokenCount: candidates,
          totalTokenCount: prompt + candidates + (thoughts ?? 0),
          ...(cached === undefined ? {} : { cachedContentTokenCount: cached }),
          ...(thoughts === undefined ? {} : { thoughtsTokenCount: thoughts }),
          promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
        },
        modelVersion: recorded.model,
        responseId: randomUUID().replaceAll('-', '').slice(0, 22),
      },
    };
  }, 'application/json; charset=UTF-8');
  return {
    url: server.url,
    requests: script.requests,
    play: (next) => script.play(next),
    close: () => server.close(),
  };
}
