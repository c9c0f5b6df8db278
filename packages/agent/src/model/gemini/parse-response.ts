import type { ContentBlock, Usage } from '@bytebot/protocol';
import type { GenerateContentResponse } from '@google/genai';
import { isComputerFunction, parseComputerFunctionCall } from '../computer-function-tools.ts';
import type { ModelResponse, ToolCall } from '../model-provider.ts';
import { type GeminiToolUseBlock, makeCallId } from './function-call-state.ts';
import { mapStopReason } from './map-stop-reason.ts';

export interface GeminiModelResponse extends ModelResponse {
  /** Gemini's own finishReason (or the prompt's blockReason), for the adapter's retry decision. */
  finishReason: string | undefined;
}

function toolCall(id: string, name: string, input: Record<string, unknown>): ToolCall {
  if (name === '') return { kind: 'invalid', id, name, error: 'the function call named no function' };
  return isComputerFunction(name)
    ? parseComputerFunctionCall(id, name, input)
    : { kind: 'function', id, name, input };
}

function usage(response: GenerateContentResponse): Usage {
  const metadata = response.usageMetadata;
  const cached = metadata?.cachedContentTokenCount ?? 0;
  return {
    // promptTokenCount includes the tokens read from the (implicit or explicit) cache.
    inputTokens: Math.max(0, (metadata?.promptTokenCount ?? 0) - cached),
    // Thinking is billed as output.
    outputTokens: (metadata?.candidatesTokenCount ?? 0) + (metadata?.thoughtsTokenCount ?? 0),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

/** Gemini's reply (its first candidate) as our content blocks, calls translated into our protocol, and usage. */
export function parseResponse(response: GenerateContentResponse): GeminiModelResponse {
  const candidate = response.candidates?.[0];
  const content: ContentBlock[] = [];
  const toolCalls: ToolCall[] = [];
  for (const part of candidate?.content?.parts ?? []) {
    // Thought summaries come only with includeThoughts, which we do not ask for.
    if (part.thought) continue;
    if (part.functionCall) {
      const call = part.functionCall;
      // Gemini 3 sends an id with each call; Gemini 2.x does not.
      const id = call.id || makeCallId();
      const name = call.name ?? '';
      const input = (call.args ?? {}) as Record<string, unknown>;
      const block: GeminiToolUseBlock = {
        type: 'tool_use',
        id,
        name,
        input,
        ...(part.thoughtSignature
          ? { providerMetadata: { google: { thoughtSignature: part.thoughtSignature } } }
          : {}),
      };
      content.push(block);
      toolCalls.push(toolCall(id, name, input));
    } else if (typeof part.text === 'string' && part.text !== '') {
      content.push({ type: 'text', text: part.text });
    }
    // Other parts (executable code, inline data) come only from tools we do not enable.
  }
  const finishReason = candidate?.finishReason ?? response.promptFeedback?.blockReason;
  const blocked = candidate === undefined && response.promptFeedback?.blockReason !== undefined;
  return {
    content,
    toolCalls,
    stopReason: blocked ? 'refusal' : mapStopReason(candidate?.finishReason, toolCalls.length > 0),
    usage: usage(response),
    finishReason,
  };
}
