import type { AgentMessage, StoredToolResultBlock, ToolUseBlock } from '@bytebot/protocol';

/** The model's calls in a stored message, in order. */
export function toolUses(message: AgentMessage | undefined): ToolUseBlock[] {
  return message?.content.filter((block): block is ToolUseBlock => block.type === 'tool_use') ?? [];
}

/** The results in a stored message, in order. */
export function toolResults(message: AgentMessage | undefined): StoredToolResultBlock[] {
  return (
    message?.content.filter((block): block is StoredToolResultBlock => block.type === 'tool_result') ?? []
  );
}
