import type { ToolResultBlock, ToolUseBlock } from '@bytebot/protocol';
import type OpenAI from 'openai';
import type { OpenAIComputerAction } from './computer-actions.ts';

export type PendingSafetyCheck = OpenAI.Responses.ResponseComputerToolCall.PendingSafetyCheck;

/** The name a computer call's tool_use block carries in our conversation (the tool itself has none). */
export const computerToolName = 'computer';

/**
 * A computer call's tool_use input: the item's fields as OpenAI sent them, so the call goes back
 * unchanged. Its ids are not in it: the loop detector compares inputs, and the same action must compare
 * equal from one call to the next.
 */
export interface ComputerCallInput {
  actions?: OpenAIComputerAction[];
  /** The single action of an item in the preview's shape. */
  action?: OpenAIComputerAction;
  /** Only when there are some: "The live API rejects empty pending_safety_checks on replayed computer calls." */
  pending_safety_checks?: PendingSafetyCheck[];
}

/**
 * A computer_call has two ids: `call_id`, which its output answers, and the item's own `id`, which the
 * item needs when it is sent back. Our tool_use block has one id, so it holds both, `call_id|id`; the
 * tool result answers the block's id and the conversion splits it again.
 */
const separator = '|';

export function computerCallBlockId(callId: string, itemId: string | undefined): string {
  return itemId ? `${callId}${separator}${itemId}` : callId;
}

export function splitComputerCallBlockId(blockId: string): { callId: string; itemId?: string } {
  const at = blockId.lastIndexOf(separator);
  return at < 0 ? { callId: blockId } : { callId: blockId.slice(0, at), itemId: blockId.slice(at + 1) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a stored tool_use block is a computer call of this adapter (a function tool could be named so too). */
export function isComputerCall(block: ToolUseBlock): boolean {
  return (
    block.name === computerToolName && (Array.isArray(block.input.actions) || isObject(block.input.action))
  );
}

export function pendingSafetyChecksOf(block: ToolUseBlock): PendingSafetyCheck[] {
  const checks = block.input.pending_safety_checks;
  return Array.isArray(checks) ? checks.filter((check): check is PendingSafetyCheck => isObject(check)) : [];
}

/**
 * Whether the call was carried out on the desktop: its result records the actions sent (the executor
 * writes them; a call the loop held for a person, stopped, or could not read has none). Only such a
 * call's safety checks are acknowledged: the loop runs a call that has checks only after a person said
 * go, and a call that never ran was confirmed by nobody.
 */
export function wasCarriedOut(result: ToolResultBlock): boolean {
  return Array.isArray(result.actions) && result.actions.length > 0;
}

/** What the loop shows a person when it holds the call: the checks' own messages. */
export function confirmationOf(checks: readonly PendingSafetyCheck[]): string | undefined {
  if (checks.length === 0) return undefined;
  return checks
    .map((check) =>
      (check.message?.trim() || `OpenAI's ${check.code ?? 'safety'} check flagged this action`).replace(
        /\.$/,
        '',
      ),
    )
    .join('; ');
}
