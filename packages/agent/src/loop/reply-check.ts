import { heldForConfirmation, type ModelResponse } from '../model/model-provider.ts';
import type { MessageRepository } from '../storage/index.ts';
import { replyText } from './call-notes.ts';

/**
 * A reply without tool calls that is not the model's last word: cut off at the output limit, or with no
 * words. Returns the nudge to send back, or nothing when the reply ends the task.
 */
export function nudgeFor(response: ModelResponse, maxOutputTokens: number): string | undefined {
  if (response.stopReason === 'max_tokens')
    return `Your reply was cut off at the output limit (${maxOutputTokens} tokens). Go on with the task, in shorter steps.`;
  if (replyText(response.content) === '')
    return 'Your reply was empty. Go on with the task, or call set_task_status to end it.';
  return undefined;
}

/** Why a person is asked after too many nudges in a row. */
export function nudgedTooOften(response: ModelResponse, nudges: number, maxOutputTokens: number): string {
  return response.stopReason === 'max_tokens'
    ? `the model's replies were cut off at the output limit (${maxOutputTokens} tokens, BYTEBOT_MAX_OUTPUT_TOKENS) ${nudges} times in a row`
    : `the model gave ${nudges} empty replies in a row`;
}

/**
 * Whether a person has just answered a confirmation request: the turn before the model's newest one was
 * held for confirmation, and a person's message came after it. It approves that one next turn only.
 */
export async function personConfirmed(messages: MessageRepository, taskId: string): Promise<boolean> {
  const stored = await messages.list(taskId);
  // The newest message is the reply being judged; the user messages before it answer the turn before.
  let held = false;
  let replied = false;
  for (const message of stored.slice(0, -1).reverse()) {
    if (message.role !== 'user') break;
    for (const block of message.content) {
      if (block.type === 'text') replied = true;
      if (
        block.type === 'tool_result' &&
        block.content.some((part) => part.type === 'text' && part.text === heldForConfirmation)
      )
        held = true;
    }
  }
  return held && replied;
}
