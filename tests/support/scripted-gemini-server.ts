import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type JsonReply, Script, startJsonServer } from '@bytebot/eval';
import {
  checkRequest,
  type Issued,
  newIssued,
  noteIssued,
  offeredPredefinedFunctions,
  type WirePart,
} from './gemini-request-rules.ts';

/** One part of a Gemini `Content`, as it crosses the wire (camelCase JSON). */
export type GeminiPart = Record<string, unknown> & {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  functionCall?: { name: string; args?: Record<string, unknown>; id?: string };
  functionResponse?: {
    name: string;
    id?: string;
    response: Record<string, unknown>;
    parts?: Array<{ inlineData?: { mimeType: string; data: string } }>;
  };
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
      computerUse?: {
        environment?: string;
        excludedPredefinedFunctions?: string[];
        [field: string]: unknown;
      };
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
  /** The requests that broke a rule of the Gemini API, each with the 400's message (no step is spent on them). */
  refusals: Array<{ request: RecordedRequest; message: string }>;
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
  /** Several calls in one turn (parallel function calling); Gemini 3 signs only the first. */
  calls:
    (
      ...calls: Array<{
        name: string;
        args: Record<string, unknown>;
        id?: string;
        thoughtSignature?: string;
      }>
    ): ScriptStep =>
    () => ({
      parts: calls.map((call) => ({
        functionCall: { name: call.name, args: call.args, ...(call.id ? { id: call.id } : {}) },
        ...(call.thoughtSignature ? { thoughtSignature: call.thoughtSignature } : {}),
      })),
      finishReason: 'STOP',
    }),
  error:
    (status: number, message: string, headers?: Record<string, string>): ScriptStep =>
    () => ({ status, message, ...(headers ? { headers } : {}) }),
};

/**
 * A local server speaking the Gemini API's generateContent (the JSON the real API sends, errors
 * included), so the real @google/genai SDK can be pointed at it through `httpOptions.baseUrl`. It plays
 * scripted steps in order and records every request. It is strict: a request breaking one of the API's
 * documented rules (gemini-request-rules.ts: the computer use tool and the models that have it, one
 * function response per call, screenshots, safety acknowledgements, thought signatures) gets the 400 the
 * API would send, and no step is spent on it.
 */
export async function startScriptedGeminiServer(steps: ScriptStep[] = []): Promise<ScriptedGeminiServer> {
  const script = new Script<RecordedRequest, ScriptStep>(steps);
  const refusals: ScriptedGeminiServer['refusals'] = [];
  const issued: Issued = newIssued();
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
    const broken = checkRequest(
      {
        model: recorded.model,
        contents: recorded.body.contents as Array<{ role: string; parts: WirePart[] }>,
        ...(recorded.body.tools ? { tools: recorded.body.tools } : {}),
      },
      issued,
    );
    if (broken) {
      script.requests.push(recorded);
      refusals.push({ request: recorded, message: broken });
      return error(400, broken);
    }
    const step = script.next(recorded);
    if (!step) return error(500, 'the script has no more steps');
    const scripted = await step(recorded);
    if ('status' in scripted)
      return error(scripted.status, scripted.message, scripted.headers, scripted.errorStatus);
    // A script calling a predefined function the request does not offer is a broken test, not a model.
    const offered = offeredPredefinedFunctions({ model: recorded.model, tools: recorded.body.tools ?? [] });
    const declared = new Set(
      (recorded.body.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((tool) => tool.name),
    );
    for (const part of scripted.parts) {
      const name = part.functionCall?.name;
      if (name && !declared.has(name) && !offered.includes(name))
        return error(500, `the script calls ${name}, which the request neither declares nor offers`);
    }
    noteIssued(issued, scripted.parts as WirePart[]);
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
    refusals,
    play: (next) => script.play(next),
    close: () => server.close(),
  };
}
