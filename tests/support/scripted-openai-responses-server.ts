import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type JsonReply, Script, startJsonServer } from '@bytebot/eval';
import { checkRequest, type Issued, type IssuedCall, type RuleError } from './openai-responses-rules.ts';

/** An action of a computer_call as the model writes it (see the SDK's `ComputerAction`). */
export type ComputerActionSpec = Record<string, unknown> & { type: string };

export interface SafetyCheckSpec {
  code: string;
  message: string;
}

/** One output item of a scripted response; the stand-in gives it its ids. */
export type ScriptedItem =
  | { type: 'message'; text: string; refusal?: boolean }
  | {
      type: 'computer_call';
      actions?: ComputerActionSpec[];
      /** The preview's single action instead of `actions`. */
      action?: ComputerActionSpec;
      safetyChecks?: SafetyCheckSpec[];
      /**
       * The harness is expected to hold this call for a person (pending safety checks): its output then
       * must not acknowledge them. Otherwise a call with checks must be acknowledged on its output.
       */
      held?: boolean;
    }
  | { type: 'function_call'; name: string; arguments: string };

export type ScriptedReply =
  | {
      output: ScriptedItem[];
      /** A reasoning item first, as a reasoning model sends (default true). */
      reasoning?: boolean;
      status?: 'completed' | 'incomplete';
      incompleteReason?: 'max_output_tokens' | 'content_filter';
      usage?: { input?: number; output?: number; cached?: number };
    }
  | { status: number; errorType: string; message: string; code?: string | null };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  // biome-ignore lint/suspicious/noExplicitAny: the request body as it came, read freely by the tests.
  body: Record<string, any>;
}

/** One step of a conversation: what the model answers to the request it gets (a valid one). */
export type ScriptStep = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedOpenAIResponsesServer {
  /** The server's root; the SDK's base URL is `${url}/v1`. */
  url: string;
  /** Every request that kept the rules, in order. */
  requests: RecordedRequest[];
  /** Requests refused for breaking a rule, with the error they got. */
  rejected: Array<{ request: RecordedRequest; error: RuleError }>;
  /** The items the stand-in sent, by call_id. */
  issued: Issued;
  /** Replaces the steps still to be played. */
  play(steps: ScriptStep[]): void;
  close(): Promise<void>;
}

function saying(say: string | undefined): ScriptedItem[] {
  return say ? [{ type: 'message', text: say }] : [];
}

/** Helpers to write steps the way the real model answers. */
export const reply = {
  /** A computer_call with its batch of actions; `say` is text the model writes before it. */
  computer:
    (
      actions: ComputerActionSpec[],
      extra: { say?: string; safetyChecks?: SafetyCheckSpec[]; held?: boolean } = {},
    ): ScriptStep =>
    () => ({
      output: [
        ...saying(extra.say),
        {
          type: 'computer_call',
          actions,
          ...(extra.safetyChecks ? { safetyChecks: extra.safetyChecks } : {}),
          ...(extra.held ? { held: true } : {}),
        },
      ],
    }),
  /** A computer_call in the preview's shape: one `action`. */
  legacyComputer:
    (action: ComputerActionSpec): ScriptStep =>
    () => ({ output: [{ type: 'computer_call', action }] }),
  /** A function call; `say` is text the model writes before it. */
  function:
    (name: string, input: Record<string, unknown>, say?: string): ScriptStep =>
    () => ({ output: [...saying(say), { type: 'function_call', name, arguments: JSON.stringify(input) }] }),
  message:
    (text: string): ScriptStep =>
    () => ({ output: [{ type: 'message', text }] }),
  refusal:
    (text: string): ScriptStep =>
    () => ({ output: [{ type: 'message', text, refusal: true }] }),
  /** A response cut off (`max_output_tokens`) or withheld (`content_filter`). */
  incomplete:
    (reason: 'max_output_tokens' | 'content_filter', text = ''): ScriptStep =>
    () => ({
      output: text ? [{ type: 'message', text }] : [],
      status: 'incomplete',
      incompleteReason: reason,
    }),
  error:
    (status: number, errorType: string, message: string, code: string | null = null): ScriptStep =>
    () => ({ status, errorType, message, code }),
};

function id(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

/**
 * A local server speaking OpenAI's Responses API (POST /v1/responses, the JSON the real API sends,
 * errors included), so the real SDK can be pointed at it through its base URL. It checks every request
 * against the documented rules of the computer tool (openai-responses-rules.ts) and answers one that
 * breaks a rule as OpenAI does; a valid one gets the next scripted step. It remembers what it sent, so
 * the items a client replays can be checked against it.
 */
export async function startScriptedOpenAIResponsesServer(
  steps: ScriptStep[] = [],
): Promise<ScriptedOpenAIResponsesServer> {
  const script = new Script<RecordedRequest, ScriptStep>(steps);
  const rejected: ScriptedOpenAIResponsesServer['rejected'] = [];
  const issued: Issued = { calls: new Map(), encryptedContents: new Set() };
  const requestId = () => ({ 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` });
  const error = (
    status: number,
    type: string,
    message: string,
    code: string | null,
    param: string | null = null,
  ): JsonReply => ({
    status,
    body: { error: { message, type, param, code } },
    // Short retry-after so the SDK's retries of 429/5xx do not slow the tests down.
    headers: { ...requestId(), 'retry-after-ms': '20' },
  });

  const respond = (
    recorded: RecordedRequest,
    scripted: Extract<ScriptedReply, { output: ScriptedItem[] }>,
  ) => {
    const body = recorded.body;
    const include: unknown[] = Array.isArray(body.include) ? body.include : [];
    const reasoning: string[] = [];
    const output: Array<Record<string, unknown>> = [];
    if (scripted.reasoning !== false) {
      // Encrypted content only when asked for, as the API does.
      const encrypted = include.includes('reasoning.encrypted_content')
        ? `gAAAAA${randomBytes(24).toString('base64url')}`
        : null;
      if (encrypted) {
        issued.encryptedContents.add(encrypted);
        reasoning.push(encrypted);
      }
      output.push({ type: 'reasoning', id: id('rs'), summary: [], encrypted_content: encrypted });
    }
    for (const item of scripted.output) {
      if (item.type === 'message') {
        output.push({
          type: 'message',
          id: id('msg'),
          role: 'assistant',
          status: 'completed',
          content: [
            item.refusal
              ? { type: 'refusal', refusal: item.text }
              : { type: 'output_text', text: item.text, annotations: [], logprobs: [] },
          ],
        });
      } else if (item.type === 'computer_call') {
        const callId = id('call');
        const itemId = id('cu');
        const checks = (item.safetyChecks ?? []).map((check) => ({ id: id('cu_sc'), ...check }));
        const sent: IssuedCall = {
          kind: 'computer',
          itemId,
          ...(item.action ? { action: item.action } : { actions: item.actions ?? [] }),
          pendingSafetyChecks: checks,
          held: item.held === true,
          reasoning,
        };
        issued.calls.set(callId, sent);
        output.push({
          type: 'computer_call',
          id: itemId,
          call_id: callId,
          ...(item.action ? { action: item.action } : { actions: item.actions ?? [] }),
          pending_safety_checks: checks,
          status: 'completed',
        });
      } else {
        const callId = id('call');
        const itemId = id('fc');
        issued.calls.set(callId, {
          kind: 'function',
          itemId,
          name: item.name,
          pendingSafetyChecks: [],
          held: false,
          reasoning,
        });
        output.push({
          type: 'function_call',
          id: itemId,
          call_id: callId,
          name: item.name,
          arguments: item.arguments,
          status: 'completed',
        });
      }
    }
    const input = scripted.usage?.input ?? 1000;
    const produced = scripted.usage?.output ?? 50;
    return {
      id: id('resp'),
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: scripted.status ?? 'completed',
      background: false,
      error: null,
      incomplete_details: scripted.incompleteReason ? { reason: scripted.incompleteReason } : null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      model: body.model,
      output,
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: 'medium', summary: null },
      store: body.store ?? true,
      temperature: 1,
      text: { format: { type: 'text' }, verbosity: 'medium' },
      tool_choice: 'auto',
      tools: body.tools ?? [],
      top_p: 1,
      truncation: 'disabled',
      usage: {
        input_tokens: input,
        input_tokens_details: { cached_tokens: scripted.usage?.cached ?? 0 },
        output_tokens: produced,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: input + produced,
      },
      user: null,
      metadata: {},
    };
  };

  const server = await startJsonServer(async (request): Promise<JsonReply> => {
    const path = request.url.pathname;
    if (request.method !== 'POST' || path !== '/v1/responses')
      return error(404, 'invalid_request_error', `Invalid URL (${request.method} ${path})`, null);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.raw) as Record<string, unknown>;
    } catch {
      return error(400, 'invalid_request_error', 'We could not parse the JSON body of your request.', null);
    }
    const recorded: RecordedRequest = { path, headers: request.headers, body };
    const broken = checkRequest(body, issued);
    if (broken) {
      rejected.push({ request: recorded, error: broken });
      return error(broken.status, 'invalid_request_error', broken.message, broken.code, broken.param);
    }
    const step = script.next(recorded);
    if (!step) return error(500, 'server_error', 'the script has no more steps', null);
    const scripted = await step(recorded);
    if (!('output' in scripted))
      return error(scripted.status, scripted.errorType, scripted.message, scripted.code ?? null);
    return { status: 200, headers: requestId(), body: respond(recorded, scripted) };
  });
  return {
    url: server.url,
    requests: script.requests,
    rejected,
    issued,
    play: (next) => script.play(next),
    close: () => server.close(),
  };
}
