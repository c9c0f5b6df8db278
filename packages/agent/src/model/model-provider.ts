import type { ComputerActionInput, ContentBlock, MessageRole, Usage } from '@bytebot/protocol';
import type { ScreenshotLimit } from './screen-scaling.ts';
import type { ScreenshotEncoding } from './screenshot-encoding.ts';

/** A tool of ours offered to the model beside the computer, described by a JSON Schema. */
export interface FunctionTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ModelMessage {
  role: MessageRole;
  content: ContentBlock[];
}

export interface ModelRequest {
  system: string;
  messages: ModelMessage[];
  tools: FunctionTool[];
  /** The screen the computer tool drives, as the model is told it. */
  screen: { width: number; height: number };
  maxOutputTokens: number;
  signal?: AbortSignal | undefined;
}

/**
 * The result the loop gives every call of a turn it held for a person's confirmation (a call carrying
 * `confirm`): such a call did not run, so an adapter must not acknowledge its provider's safety check.
 */
export const heldForConfirmation =
  'Not executed: a person was asked to confirm this action first. Their answer follows; if they agreed, ' +
  'ask for the action again.';

/**
 * Calls of one toolset (Claude's computer toolset) run in the order the model wrote them; once one of
 * them fails, the rest of that toolset's calls in the turn are not run and are answered with
 * `notExecuted`, as the provider documents. Each result echoes `family` as its toolset_name.
 */
export interface ToolSequence {
  family: string;
  notExecuted: string;
}

/**
 * A tool call with the provider's vocabulary already translated: a computer call is a list of our
 * protocol's actions (one model action may need several, e.g. hold a key for a while).
 */
export type ToolCall =
  | {
      kind: 'computer';
      id: string;
      actions: ComputerActionInput[];
      describe: string;
      sequence?: ToolSequence;
      /**
       * The provider asks a person to confirm before this call runs (OpenAI's pending safety checks,
       * Gemini's require_confirmation): the task waits in NEEDS_HELP with this reason.
       */
      confirm?: string;
      /**
       * The provider requires a screenshot in this call's own result (OpenAI's computer_call_output),
       * even when it is not the turn's last computer call.
       */
      alwaysScreenshot?: boolean;
    }
  | { kind: 'function'; id: string; name: string; input: Record<string, unknown> }
  /** A call we could not understand; the error goes back to the model as the tool's result. */
  | { kind: 'invalid'; id: string; name: string; error: string; sequence?: ToolSequence };

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'other';

/** Which computer tool a model is offered, for the startup check and GET /health. */
export interface ToolDescription {
  /** The provider's own name of it: `computer_toolset_20260801`, `computer_20251124`, `computer` ... */
  tool: string;
  /** Our words for it, shown to a person. */
  description: string;
}

export interface ModelResponse {
  /** What the model said, in our content blocks (tool_use inputs as the provider sent them), to store. */
  content: ContentBlock[];
  toolCalls: ToolCall[];
  stopReason: StopReason;
  usage: Usage;
}

/** One model of one provider; the shape every adapter implements (after the Vercel AI SDK's spec). */
export interface ModelProvider {
  readonly provider: string;
  readonly model: string;
  /** The computer tool this model gets. */
  readonly computerTool: ToolDescription;
  /** The largest screenshot this model takes as it is; the agent scales the screen to fit. */
  readonly screenshotLimit: ScreenshotLimit;
  /**
   * How this provider gets screenshots (screenshot-encoding.ts); the stored lossless PNG when not set.
   * The stored copies stay lossless whatever it says.
   */
  readonly screenshotEncoding?: ScreenshotEncoding;
  generate(request: ModelRequest): Promise<ModelResponse>;
}
