import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock } from '@bytebot/protocol';
import type { ModelResponse, ToolCall } from '../model-provider.ts';
import { ComputerToolInputError, translateComputerCall } from './computer-tool.ts';
import { mapStopReason } from './map-stop-reason.ts';

function toolCall(id: string, name: string, input: Record<string, unknown>): ToolCall {
  if (name !== 'computer') return { kind: 'function', id, name, input };
  try {
    return { kind: 'computer', id, ...translateComputerCall(input) };
  } catch (error) {
    if (error instanceof ComputerToolInputError) return { kind: 'invalid', id, name, error: error.message };
    throw error;
  }
}

/** Anthropic's reply as our content blocks, tool calls translated into our protocol, and usage. */
export function parseResponse(message: Anthropic.Beta.BetaMessage): ModelResponse {
  const content: ContentBlock[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') {
      content.push({ type: 'text', text: block.text });
    } else if (block.type === 'tool_use') {
      const input = (block.input ?? {}) as Record<string, unknown>;
      content.push({ type: 'tool_use', id: block.id, name: block.name, input });
      toolCalls.push(toolCall(block.id, block.name, input));
    }
    // Other blocks (thinking, server tools) are not enabled in our requests.
  }
  const usage = message.usage;
  return {
    content,
    toolCalls,
    stopReason: mapStopReason(message.stop_reason),
    usage: {
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheReadTokens: usage.cache_read_input_tokens ?? 0,
      cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    },
  };
}
