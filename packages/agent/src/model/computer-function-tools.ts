import {
  type ActionName,
  actionToolSchema,
  computerActionSchema,
  describeValidationIssues,
} from '@bytebot/protocol';
import { describeAction } from './describe-action.ts';
import type { FunctionTool, ToolCall } from './model-provider.ts';

/**
 * Our protocol's computer actions as function tools, for providers without a native computer tool
 * (OpenAI, Gemini, local models). Files and applications have tools of their own (agent-tools.ts).
 */
const offered: ActionName[] = [
  'screenshot',
  'move_mouse',
  'click_mouse',
  'press_mouse',
  'drag_mouse',
  'trace_mouse',
  'scroll',
  'type_text',
  'paste_text',
  'type_keys',
  'press_keys',
  'wait',
  'cursor_position',
  'zoom',
];

const descriptions: Partial<Record<ActionName, string>> = {
  screenshot: 'Takes a screenshot of the whole screen; you get the image back.',
};

function functionSchema(name: ActionName): { description: string; inputSchema: Record<string, unknown> } {
  const tool = actionToolSchema(name);
  // The agent takes the settled screenshot after every action itself; the model need not ask (nor pay for the field).
  const { screenshotAfter: _screenshotAfter, ...properties } = (tool.inputSchema.properties ?? {}) as Record<
    string,
    unknown
  >;
  return {
    description: descriptions[name] ?? tool.description,
    inputSchema: { ...tool.inputSchema, properties },
  };
}

export const computerFunctionTools: FunctionTool[] = offered.map((name) => ({
  name,
  ...functionSchema(name),
}));

const offeredNames = new Set<string>(offered);

export function isComputerFunction(name: string): boolean {
  return offeredNames.has(name);
}

/** A function call naming one of the tools above, checked against the protocol's schema. */
export function parseComputerFunctionCall(
  id: string,
  name: string,
  input: Record<string, unknown>,
): ToolCall {
  const candidate = { ...input, action: name };
  const parsed = computerActionSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      kind: 'invalid',
      id,
      name,
      error: describeValidationIssues(parsed.error.issues, candidate).message,
    };
  }
  const action = parsed.data;
  // The screenshot comes back with every result; a screenshot call needs no action of its own.
  return {
    kind: 'computer',
    id,
    actions: action.action === 'screenshot' ? [] : [action],
    describe: describeAction(action),
  };
}
