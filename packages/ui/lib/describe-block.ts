import type { ToolUseBlock } from '@bytebot/protocol';

/** A short line a person reads for one tool call: the agent's own summary, or the call itself. */
export function describeToolUse(block: ToolUseBlock): string {
  return block.summary ?? `${block.name} ${JSON.stringify(block.input)}`;
}
