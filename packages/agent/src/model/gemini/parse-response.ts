import type { ContentBlock, Usage } from '@bytebot/protocol';
import type { GenerateContentResponse } from '@google/genai';
import { isComputerFunction, parseComputerFunctionCall } from '../computer-function-tools.ts';
import type { ModelResponse, ToolCall } from '../model-provider.ts';
import type { Size } from '../screen-scaling.ts';
import { type GeminiToolUseBlock, makeCallId } from './function-call-state.ts';
import { mapStopReason } from './map-stop-reason.ts';
import { isPredefinedFunction, parsePredefinedCall } from './predefined-functions.ts';

export interface GeminiModelResponse extends ModelResponse {
  /** Gemini's own finishReason (or the prompt's blockReason), for the adapter's retry decision. */
  finishReason: string | undefined;
}

/**
 * With Gemini's computer use tool: the picture the model saw (its grid points become pixels of it) and
 * the names of our own functions, which win over a predefined function of the same name.
 */
export interface ComputerUseContext {
  picture: Size;
  functions: ReadonlySet<string>;
}

function toolCall(
  id: string,
  name: string,
  input: Record<string, unknown>,
  computerUse: ComputerUseContext | undefined,
): ToolCall {
  if (name === '') return { kind: 'invalid', id, name, error: 'the function call named no function' };
  if (computerUse) {
    return !computerUse.functions.has(name) && isPredefinedFunction(name)
      ? parsePredefinedCall(id, name, input, computerUse.picture)
      : { kind: 'function', id, name, input };
  }
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
export function parseResponse(
  response: GenerateContentResponse,
  computerUse?: ComputerUseContext,
): GeminiModelResponse {
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
      toolCalls.push(toolCall(id, name, input, computerUse));
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
