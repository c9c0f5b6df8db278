import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  AnthropicRules,
  anthropicError,
  anthropicMessage,
  anthropicStream,
  type JsonReply,
  Script,
  startJsonServer,
} from '@bytebot/eval';

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
  /** The requests the rules let through, each answered by the next step. */
  requests: RecordedRequest[];
  /** Requests refused as the real API would refuse them, with the refusal's message. */
  refused: Array<{ request: RecordedRequest; status: number; message: string }>;
  /** Replaces the steps still to be played. */
  play(steps: ScriptStep[]): void;
  close(): Promise<void>;
}

let toolUseCounter = 0;
const nextToolUseId = () => {
  toolUseCounter += 1;
  return `toolu_${toolUseCounter}_${randomUUID().slice(0, 8)}`;
};

/** A computer action as Claude's beta tool spells it: `{action: 'left_click', coordinate: [x, y]}`. */
type ComputerInput = Record<string, unknown> & { action: string };

/**
 * A computer call in the form the request's tools ask for: a member call of the computer toolset
 * (name = the action, with toolset_name), or a call of the beta tool named "computer".
 */
function computerCall(request: RecordedRequest, input: ComputerInput): Record<string, unknown> {
  const toolset = request.body.tools?.some((tool) => tool.type === 'computer_toolset_20260801');
  if (!toolset) return { type: 'tool_use', id: nextToolUseId(), name: 'computer', input };
  const { action, ...rest } = input;
  return { type: 'tool_use', id: nextToolUseId(), name: action, input: rest, toolset_name: 'computer' };
}

/** Helpers to write steps the way the real model answers. */
export const reply = {
  text:
    (text: string): ScriptStep =>
    () => ({ content: [{ type: 'text', text }], stopReason: 'end_turn' }),
  /** One computer action, as the request's computer tool takes it. */
  computer:
    (input: ComputerInput, say?: string): ScriptStep =>
    (request) => ({
      content: [...(say ? [{ type: 'text', text: say }] : []), computerCall(request, input)],
      stopReason: 'tool_use',
    }),
  /** Several computer actions in one turn (a batch, with the toolset). */
  batch:
    (inputs: ComputerInput[], say?: string): ScriptStep =>
    (request) => ({
      content: [
        ...(say ? [{ type: 'text', text: say }] : []),
        ...inputs.map((input) => computerCall(request, input)),
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

/** Models that think by default ([TH]: the Claude 5 generation, Fable, Mythos): their tool turns start with a thinking block. */
function thinksByDefault(model: string): boolean {
  return /^claude-(opus|sonnet|haiku)-5|^claude-(fable|mythos)-/.test(model);
}

/**
 * A local server speaking Anthropic's Messages API (the JSON the real API sends, errors included), so
 * the real SDK can be pointed at it through its base URL. It plays scripted steps in order and records
 * every request.
 */
export async function startScriptedAnthropicServer(
  steps: ScriptStep[] = [],
): Promise<ScriptedAnthropicServer> {
  const script = new Script<RecordedRequest, ScriptStep>(steps);
  const rules = new AnthropicRules();
  const refused: ScriptedAnthropicServer['refused'] = [];
  const server = await startJsonServer(async (request): Promise<JsonReply> => {
    const path = request.url.pathname;
    if (request.method !== 'POST' || path !== '/v1/messages')
      return anthropicError(404, 'not_found_error', `no route ${request.method} ${path}`);
    const refusal = rules.check(request.headers, request.raw);
    if (refusal) {
      const message = (refusal.body as { error: { message: string } }).error.message;
      refused.push({
        request: { path, headers: request.headers, body: safeParse(request.raw) },
        status: refusal.status,
        message,
      });
      return refusal;
    }
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
    // A model that thinks by default opens a tool turn with its (hidden) thinking, signed: the agent must send it back.
    const content =
      thinksByDefault(recorded.body.model) && scripted.content.some((block) => block.type === 'tool_use')
        ? [rules.thinking(''), ...scripted.content]
        : scripted.content;
    rules.remember(content);
    const answer = anthropicMessage({
      model: recorded.body.model,
      content,
      stopReason: scripted.stopReason ?? 'end_turn',
      usage: { input: scripted.usage?.input ?? 1000, output: scripted.usage?.output ?? 50 },
    });
    return recorded.body.stream === true ? anthropicStream(answer) : answer;
  });
  return {
    url: server.url,
    requests: script.requests,
    refused,
    play: (next) => script.play(next),
    close: () => server.close(),
  };
}

function safeParse(raw: string): RecordedRequest['body'] {
  try {
    return JSON.parse(raw) as RecordedRequest['body'];
  } catch {
    return { model: '', messages: [] };
  }
}
