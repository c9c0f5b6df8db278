import { randomUUID } from 'node:crypto';
import { AnthropicRules } from './anthropic-rules.ts';
import { anthropicError, anthropicMessage, anthropicStream } from './anthropic-wire.ts';
import type { SolutionStep } from './eval-task.ts';
import { imageSize } from './image-size.ts';
import { startJsonServer } from './json-server.ts';
import { solutionStepToClaude } from './solution-to-claude.ts';

/**
 * How the scripted model answers one task: play its solution (and say it is done); for a task that cannot be
 * done, play its solution (a look around that changes nothing) and ask for help with a reason; write the
 * task's expected files with write_file and claim success; or do nothing and claim success.
 */
export type ScriptedBehaviour =
  | { kind: 'solution'; steps: SolutionStep[]; screen: { width: number } }
  | { kind: 'refuse'; steps: SolutionStep[]; screen: { width: number }; reason: string }
  | { kind: 'write-file'; files: Array<{ path: string; content: string }> }
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
  stream?: boolean;
  tools?: Array<{ type?: string; name?: string; display_width_px?: number }>;
  messages: Array<{
    role: string;
    content: string | Array<Record<string, unknown> & { type: string; text?: string }>;
  }>;
}

/** The id of the look the scripted model takes first with the toolset, to learn the size of its picture. */
const lookPrefix = 'toolu_look_';

/** The width of the newest screenshot in the request: the picture the toolset's coordinates are in. */
function pictureWidth(request: MessagesRequest): number | undefined {
  const images = [...JSON.stringify(request.messages).matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)];
  const newest = images.at(-1)?.[1];
  return newest ? imageSize(Buffer.from(newest, 'base64'))?.width : undefined;
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
 * turn, in the pixels of the picture the agent declared), then with a closing sentence, or a request for
 * help when the task cannot be done; for the write-file model, with write_file calls and a claimed success;
 * for the no-op model, with a claim of success and nothing done.
 */
export async function startScriptedModelServer(): Promise<ScriptedModelServer> {
  const behaviours = new Map<string, ScriptedBehaviour>();
  const rules = new AnthropicRules();
  let calls = 0;
  const server = await startJsonServer((request) => {
    if (request.method !== 'POST' || request.url.pathname !== '/v1/messages')
      return anthropicError(404, 'not_found_error', `no route ${request.method} ${request.url.pathname}`);
    // Held to the API's documented rules: a request the real API would refuse is refused here too.
    const refusal = rules.check(request.headers, request.raw);
    if (refusal) return refusal;
    const body = JSON.parse(request.raw) as MessagesRequest;
    calls += 1;
    const opening = firstUserText(body);
    // The longest description that opens the conversation: one task's words may begin another's.
    const behaviour = [...behaviours]
      .filter(([description]) => opening.startsWith(description))
      .sort(([first], [second]) => second.length - first.length)[0]?.[1];
    if (!behaviour)
      return anthropicError(400, 'invalid_request_error', 'the scripted model has no script for this task');
    const assistantTurns = body.messages.filter((message) => message.role === 'assistant');
    const toolset = body.tools?.some((tool) => tool.type === 'computer_toolset_20260801') ?? false;
    // With the toolset the first turn is a look at the screen: its size is the picture's.
    const looked = JSON.stringify(assistantTurns[0]?.content ?? '').includes(lookPrefix) ? 1 : 0;
    const turn = assistantTurns.length - looked;
    const steps = behaviour.kind === 'solution' || behaviour.kind === 'refuse' ? behaviour.steps : [];
    const toolCall = (name: string, input: Record<string, unknown>) => [
      ...(toolset ? [rules.thinking('')] : []),
      { type: 'tool_use', id: `toolu_${randomUUID().replaceAll('-', '')}`, name, input },
    ];
    const content: Array<Record<string, unknown>> = [];
    let stopReason = 'end_turn';
    // Only the computer tool and no tool of ours: a summary request, answered in words.
    const summary = !body.tools?.some((tool) => tool.name === 'set_task_status');
    if (behaviour.kind === 'no-op') {
      content.push({ type: 'text', text: 'I have completed the task.' });
    } else if (summary) {
      content.push({ type: 'text', text: `Played ${turn} scripted steps so far.` });
    } else if (behaviour.kind === 'write-file') {
      // One file a turn, as a model would; refused or not, it goes on and then claims success.
      const file = behaviour.files[assistantTurns.length];
      content.push(
        ...(file
          ? toolCall('write_file', { path: file.path, content: file.content })
          : toolCall('set_task_status', {
              status: 'completed',
              description: `I wrote ${behaviour.files.map((written) => written.path).join(', ') || 'nothing'}; the task is done.`,
            })),
      );
      stopReason = 'tool_use';
    } else if (turn < steps.length && toolset && assistantTurns.length === 0) {
      content.push(rules.thinking(''), {
        type: 'tool_use',
        id: `${lookPrefix}${randomUUID().replaceAll('-', '')}`,
        name: 'screenshot',
        input: {},
        toolset_name: 'computer',
      });
      stopReason = 'tool_use';
    } else if (turn < steps.length) {
      const computer = body.tools?.find((tool) => tool.name === 'computer');
      const width = toolset ? pictureWidth(body) : computer?.display_width_px;
      const scale = width ? width / behaviour.screen.width : 1;
      const call = solutionStepToClaude(steps[turn] as SolutionStep, scale);
      const id = `toolu_${randomUUID().replaceAll('-', '')}`;
      if (toolset && call.name === 'computer') {
        const { action, ...input } = call.input;
        content.push(rules.thinking(''), {
          type: 'tool_use',
          id,
          name: action,
          input,
          toolset_name: 'computer',
        });
      } else {
        content.push(...(toolset ? [rules.thinking('')] : []), { type: 'tool_use', id, ...call });
      }
      stopReason = 'tool_use';
    } else if (behaviour.kind === 'refuse') {
      content.push(...toolCall('set_task_status', { status: 'needs_help', description: behaviour.reason }));
      stopReason = 'tool_use';
    } else {
      content.push({ type: 'text', text: 'The task is done.' });
    }
    rules.remember(content);
    // Figures of the order a real step costs, so the report's token and cost columns mean something.
    const answer = anthropicMessage({
      model: body.model,
      content,
      stopReason,
      usage: { input: 1500 + 120 * turn, output: 60 },
    });
    return body.stream === true ? anthropicStream(answer) : answer;
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
