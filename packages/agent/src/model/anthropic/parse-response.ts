import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock } from '@bytebot/protocol';
import type { ModelResponse, ToolCall, ToolSequence } from '../model-provider.ts';
import { ComputerToolInputError, translateComputerCall } from './computer-tool.ts';
import { mapStopReason } from './map-stop-reason.ts';

/**
 * What a toolset member that was not run answers, once an earlier member of the same toolset failed in
 * the turn: the text Anthropic's SDK sends for the computer toolset
 * (`@anthropic-ai/sdk` lib/internal/toolsets/run.ts, NOT_EXECUTED_BY_FAMILY), as an error result.
 */
export const computerNotExecuted = 'Not executed: an earlier computer action in this turn failed.';

const computerSequence: ToolSequence = { family: 'computer', notExecuted: computerNotExecuted };

function toolCall(block: Anthropic.Beta.BetaToolUseBlock): ToolCall {
  const input = (block.input ?? {}) as Record<string, unknown>;
  const { id, name } = block;
  const toolset = block.toolset_name ?? undefined;
  // A toolset member is called by its own name (left_click, type...); the beta tool by "computer" with an action.
  const computerInput =
    toolset === 'computer' ? { ...input, action: name } : name === 'computer' ? input : null;
  const sequence = toolset === 'computer' ? { sequence: computerSequence } : {};
  if (toolset !== undefined && toolset !== 'computer') {
    return { kind: 'invalid', id, name, error: `unknown toolset "${toolset}"` };
  }
  if (!computerInput) return { kind: 'function', id, name, input };
  try {
    return { kind: 'computer', id, ...translateComputerCall(computerInput), ...sequence };
  } catch (error) {
    if (error instanceof ComputerToolInputError)
      return { kind: 'invalid', id, name, error: error.message, ...sequence };
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
    } else if (block.type === 'thinking') {
      // Kept whole, signature included: the next request of a tool-use turn must carry it unchanged.
      content.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking') {
      content.push({ type: 'redacted_thinking', data: block.data });
    } else if (block.type === 'tool_use') {
      const input = (block.input ?? {}) as Record<string, unknown>;
      content.push({
        type: 'tool_use',
        id: block.id,
        name: block.name,
        input,
        ...(block.toolset_name ? { toolset_name: block.toolset_name } : {}),
      });
      toolCalls.push(toolCall(block));
    }
    // Server tools are not enabled in our requests.
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
