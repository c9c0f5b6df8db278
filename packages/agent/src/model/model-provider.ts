import type { ComputerActionInput, ContentBlock, MessageRole, Usage } from '@bytebot/protocol';

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
 * A tool call with the provider's vocabulary already translated: a computer call is a list of our
 * protocol's actions (one model action may need several, e.g. hold a key for a while).
 */
export type ToolCall =
  | { kind: 'computer'; id: string; actions: ComputerActionInput[]; describe: string }
  | { kind: 'function'; id: string; name: string; input: Record<string, unknown> }
  /** A call we could not understand; the error goes back to the model as the tool's result. */
  | { kind: 'invalid'; id: string; name: string; error: string };

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'other';

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
  generate(request: ModelRequest): Promise<ModelResponse>;
}
