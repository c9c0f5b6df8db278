import type { ToolResultBlock, ToolUseBlock } from '@bytebot/protocol';
import { heldForConfirmation } from '../model-provider.ts';

/**
 * Gemini's safety service rides in the arguments of a computer use call:
 * `"safety_decision": {"explanation": "...", "decision": "require_confirmation"}`. "If the returned
 * `safety_decision` is `require_confirmation`, you must ask the user to confirm before proceeding with
 * executing the action. Per the terms of service, you are not permitted to bypass requests for human
 * confirmation", and "If the user confirms, you must include the safety acknowledgement in your
 * `FunctionResponse`": `safety_acknowledgement: "true"`, a string in generateContent's
 * `FunctionResponse.response` (https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/computer-use,
 * "Acknowledge safety decision"; the reference implementation sends the same).
 */
export interface SafetyDecision {
  decision: string;
  explanation: string;
}

export function safetyDecisionOf(args: Record<string, unknown> | undefined): SafetyDecision | undefined {
  const value = args?.safety_decision;
  if (typeof value !== 'object' || value === null) return undefined;
  const { decision, explanation } = value as Record<string, unknown>;
  return {
    decision: typeof decision === 'string' ? decision : '',
    explanation: typeof explanation === 'string' ? explanation.trim() : '',
  };
}

/** Decisions that let the action run as it is ("Regular / allowed ... may also be represented by no safety_decision"). */
const allowed = new Set(['regular', 'allowed', 'allow', 'safe']);

/**
 * What a call's decision means for us: run it, ask a person first, or do not run it ("If the action is
 * blocked, your client should halt the execution", https://ai.google.dev/gemini-api/docs/computer-use).
 * A decision we do not know asks a person rather than running.
 */
export function safetyVerdict(decision: SafetyDecision | undefined): 'run' | 'confirm' | 'blocked' {
  if (!decision || allowed.has(decision.decision.toLowerCase())) return 'run';
  return decision.decision.toLowerCase() === 'blocked' ? 'blocked' : 'confirm';
}

export const safetyAcknowledgement = { safety_acknowledgement: 'true' } as const;

/**
 * A call of a turn the loop held for a person's confirmation did not run, so it is not acknowledged.
 * Only a call that ran, after a person said go, carries the acknowledgement.
 */
export function wasHeldForConfirmation(result: ToolResultBlock): boolean {
  return result.content.some((part) => part.type === 'text' && part.text === heldForConfirmation);
}

/** Whether this call's response must acknowledge the safety decision: it needed a person's go and ran. */
export function acknowledges(call: ToolUseBlock, result: ToolResultBlock): boolean {
  return safetyVerdict(safetyDecisionOf(call.input)) === 'confirm' && !wasHeldForConfirmation(result);
}
