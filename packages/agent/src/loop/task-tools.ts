import { optionalAgentTools, type TaskLimits } from '@bytebot/protocol';
import type { FunctionTool, ToolCall } from '../model/model-provider.ts';

/**
 * The agent tools a task withholds from its model: those of open_application, read_file and write_file its
 * limits.tools leaves out. A task that names no list (and every task older than the list) withholds none.
 */
export function withheldTools(limits: TaskLimits | null | undefined): ReadonlySet<string> {
  const allowed = new Set<string>(limits?.tools ?? optionalAgentTools);
  return new Set(optionalAgentTools.filter((name) => !allowed.has(name)));
}

/** The tools the model is offered on a task: a withheld tool is not even named, so it is not tried. */
export function offeredTools(tools: FunctionTool[], withheld: ReadonlySet<string>): FunctionTool[] {
  return withheld.size === 0 ? tools : tools.filter((tool) => !withheld.has(tool.name));
}

/**
 * Why a call is refused unrun, or undefined when it may run. A model may still name a tool it was not
 * offered (it saw it earlier in the conversation, or guessed it): the refusal is its answer.
 */
export function refusalOf(call: ToolCall, withheld: ReadonlySet<string>): string | undefined {
  if (call.kind !== 'function' || !withheld.has(call.name)) return undefined;
  return `${call.name} is not available on this task; use the computer (mouse, keyboard and screen) instead.`;
}
