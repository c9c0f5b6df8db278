import { randomUUID } from 'node:crypto';
import type { ContentBlock } from '@bytebot/protocol';
import type OpenAI from 'openai';
import { isComputerFunction, parseComputerFunctionCall } from '../computer-function-tools.ts';
import { ModelError } from '../model-error.ts';
import type { ModelResponse, ToolCall } from '../model-provider.ts';
import { mapStopReason } from './map-stop-reason.ts';

type ParsedArguments = { input: Record<string, unknown> } | { error: string };

/** The arguments string of a function call as an object, or what to tell the model when it is not one. */
export function parseArguments(name: string, text: string): ParsedArguments {
  // Some local servers send "" for a call without arguments (a screenshot).
  if (text.trim() === '') return { input: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      error:
        `the arguments of ${name} are not valid JSON (${(error as Error).message}): ` +
        'call it again with its parameters as one JSON object',
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: `the arguments of ${name} must be a JSON object, not ${JSON.stringify(value)}` };
  }
  return { input: value as Record<string, unknown> };
}

function toolCall(id: string, name: string, input: Record<string, unknown>): ToolCall {
  return isComputerFunction(name)
    ? parseComputerFunctionCall(id, name, input)
    : { kind: 'function', id, name, input };
}

/** OpenAI's reply as our content blocks, tool calls translated into our protocol, and usage. */
export function parseResponse(completion: OpenAI.Chat.ChatCompletion): ModelResponse {
  const choice = completion.choices[0];
  if (!choice) throw new ModelError('the model returned no choices', undefined, false);
  const message = choice.message;
  const content: ContentBlock[] = [];
  const toolCalls: ToolCall[] = [];
  if (message.content) content.push({ type: 'text', text: message.content });
  if (message.refusal) content.push({ type: 'text', text: message.refusal });
  for (const [index, call] of (message.tool_calls ?? []).entries()) {
    // Some local servers leave the id out; the stored conversation needs one to pair the result with.
    const id = call.id || `call_${index}_${randomUUID().slice(0, 8)}`;
    if (call.type !== 'function') {
      content.push({ type: 'tool_use', id, name: call.custom.name, input: {} });
      toolCalls.push({
        kind: 'invalid',
        id,
        name: call.custom.name,
        error: `${call.custom.name} is not a tool you have; use the function tools`,
      });
      continue;
    }
    const name = call.function.name;
    const parsed = parseArguments(name, call.function.arguments ?? '');
    if ('error' in parsed) {
      content.push({ type: 'tool_use', id, name, input: {} });
      toolCalls.push({ kind: 'invalid', id, name, error: parsed.error });
    } else {
      content.push({ type: 'tool_use', id, name, input: parsed.input });
      toolCalls.push(toolCall(id, name, parsed.input));
    }
  }
  const usage = completion.usage;
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  // Some servers answer "stop" with tool calls in the message.
  const mapped = mapStopReason(choice.finish_reason);
  const stopReason = message.refusal
    ? 'refusal'
    : mapped === 'end_turn' && toolCalls.length > 0
      ? 'tool_use'
      : mapped;
  return {
    content,
    toolCalls,
    stopReason,
    usage: {
      inputTokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
      outputTokens: usage?.completion_tokens ?? 0,
      cacheReadTokens: cached,
      // OpenAI caches prompts by itself and bills no writes.
      cacheWriteTokens: 0,
    },
  };
}
