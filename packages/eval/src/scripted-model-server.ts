import { randomUUID } from 'node:crypto';
import { anthropicError, anthropicMessage } from './anthropic-wire.ts';
import type { SolutionStep } from './eval-task.ts';
import { startJsonServer } from './json-server.ts';
import { solutionStepToClaude } from './solution-to-claude.ts';

/** How the scripted model answers one task: play its solution, or do nothing and claim success. */
export type ScriptedBehaviour =
  | { kind: 'solution'; steps: SolutionStep[]; screen: { width: number } }
  | { kind: 'no-op' };

export interface ScriptedModelServer {
  url: string;
  /** Tells the server how to answer the task whose first message starts with this description. */
  assign(description: string, behaviour: ScriptedBehaviour): void;
  /** Model calls answered so far. */
  calls(): number;
  close(): Promise<void>;
}

interface MessagesRequest {
  model: string;
  tools?: Array<{ name?: string; display_width_px?: number }>;
  messages: Array<{ role: string; content: string | Array<{ type: string; text?: string }> }>;
}

function firstUserText(request: MessagesRequest): string {
  const first = request.messages.find((message) => message.role === 'user');
  if (!first) return '';
  if (typeof first.content === 'string') return first.content;
  return first.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('\n');
}

/**
 * A stand-in for Claude that speaks Anthropic's Messages API, so the agent runs unchanged through the
 * real SDK: for each task it answers with the next step of the task's scripted solution (one tool call a
 * turn, in the pixels of the picture the agent declared), then with a closing sentence; or, for the no-op
 * model, with a claim of success and nothing done.
 */
export async function startScriptedModelServer(): Promise<ScriptedModelServer> {
  const behaviours = new Map<string, ScriptedBehaviour>();
  let calls = 0;
  const server = await startJsonServer((request) => {
    if (request.method !== 'POST' || request.url.pathname !== '/v1/messages')
      return anthropicError(404, 'not_found_error', `no route ${request.method} ${request.url.pathname}`);
    let body: MessagesRequest;
    try {
      body = JSON.parse(request.raw) as MessagesRequest;
    } catch {
      return anthropicError(400, 'invalid_request_error', 'the body is not JSON');
    }
    calls += 1;
    const opening = firstUserText(body);
    // The longest description that opens the conversation: one task's words may begin another's.
    const behaviour = [...behaviours]
      .filter(([description]) => opening.startsWith(description))
      .sort(([first], [second]) => second.length - first.length)[0]?.[1];
    if (!behaviour)
      return anthropicError(400, 'invalid_request_error', 'the scripted model has no script for this task');
    // A summary request (no tools) or the no-op model: words only.
    const turn = body.messages.filter((message) => message.role === 'assistant').length;
    const steps = behaviour.kind === 'solution' ? behaviour.steps : [];
    const content: Array<Record<string, unknown>> = [];
    let stopReason = 'end_turn';
    if (behaviour.kind === 'no-op') {
      content.push({ type: 'text', text: 'I have completed the task.' });
    } else if (!body.tools?.length) {
      content.push({ type: 'text', text: `Played ${turn} scripted steps so far.` });
    } else if (turn < steps.length) {
      const computer = body.tools.find((tool) => tool.name === 'computer');
      const scale = computer?.display_width_px ? computer.display_width_px / behaviour.screen.width : 1;
      const call = solutionStepToClaude(steps[turn] as SolutionStep, scale);
      content.push({ type: 'tool_use', id: `toolu_${randomUUID().replaceAll('-', '')}`, ...call });
      stopReason = 'tool_use';
    } else {
      content.push({ type: 'text', text: 'The task is done.' });
    }
    // Figures of the order a real step costs, so the report's token and cost columns mean something.
    return anthropicMessage({
      model: body.model,
      content,
      stopReason,
      usage: { input: 1500 + 120 * turn, output: 60 },
    });
  });
  return {
    url: server.url,
    assign(description, behaviour) {
      behaviours.set(description, behaviour);
    },
    calls: () => calls,
    close: () => server.close(),
  };
}
