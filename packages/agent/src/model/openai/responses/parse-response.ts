import type { ContentBlock } from '@bytebot/protocol';
import type OpenAI from 'openai';
import { ModelError } from '../../model-error.ts';
import type { ModelResponse, ToolCall } from '../../model-provider.ts';
import { parseArguments } from '../parse-response.ts';
import { describeActions, type OpenAIComputerAction, translateComputerActions } from './computer-actions.ts';
import {
  type ComputerCallInput,
  computerCallBlockId,
  computerToolName,
  confirmationOf,
} from './computer-call-item.ts';
import { mapStopReason } from './map-stop-reason.ts';

type Response = OpenAI.Responses.Response;

/**
 * A reasoning item, kept to be sent back: stateless requests (store: false) carry the model's reasoning
 * only as `encrypted_content`, which must come back with the conversation (the SDK: "Be sure to include
 * these items in your `input` ... if you are manually managing context").
 */
function reasoningBlock(item: OpenAI.Responses.ResponseReasoningItem): ContentBlock {
  return {
    type: 'thinking',
    thinking: item.summary.map((part) => part.text).join('\n\n'),
    signature: item.encrypted_content ?? '',
    id: item.id,
  };
}

/** A computer_call as one tool call: every action of its batch, in order ("Run them in order"). */
function computerCall(item: OpenAI.Responses.ResponseComputerToolCall): {
  block: ContentBlock;
  call: ToolCall;
} {
  const id = computerCallBlockId(item.call_id, item.id);
  // GA items batch `actions`; an item in the preview's shape has one `action`.
  const actions: OpenAIComputerAction[] =
    item.actions ?? (item.action ? [item.action as OpenAIComputerAction] : []);
  const input: ComputerCallInput = item.actions
    ? { actions: item.actions }
    : item.action
      ? { action: item.action as OpenAIComputerAction }
      : { actions: [] };
  const checks = item.pending_safety_checks ?? [];
  if (checks.length > 0) input.pending_safety_checks = checks;
  const block: ContentBlock = { type: 'tool_use', id, name: computerToolName, input: { ...input } };
  const translated = translateComputerActions(actions);
  if ('error' in translated) {
    return { block, call: { kind: 'invalid', id, name: computerToolName, error: translated.error } };
  }
  const confirm = confirmationOf(checks);
  return {
    block,
    call: {
      kind: 'computer',
      id,
      actions: translated.actions,
      describe: describeActions(translated.actions),
      // "Capture the updated screen and send it back as computer_call_output": every call, not only the last.
      alwaysScreenshot: true,
      ...(confirm ? { confirm } : {}),
    },
  };
}

function functionCall(item: OpenAI.Responses.ResponseFunctionToolCall): {
  block: ContentBlock;
  call: ToolCall;
} {
  const { call_id: id, name } = item;
  const parsed = parseArguments(name, item.arguments ?? '');
  if ('error' in parsed) {
    return {
      block: { type: 'tool_use', id, name, input: {} },
      call: { kind: 'invalid', id, name, error: parsed.error },
    };
  }
  return {
    block: { type: 'tool_use', id, name, input: parsed.input },
    call: { kind: 'function', id, name, input: parsed.input },
  };
}

/** A failed response is the service's failure, not the model's answer. */
function failure(response: Response): ModelError {
  const code = response.error?.code;
  const retryable = code === 'server_error' || code === 'rate_limit_exceeded' || code === undefined;
  return new ModelError(
    `OpenAI could not complete the response (${code ?? response.status}): ${response.error?.message ?? 'no reason given'}`,
    undefined,
    retryable,
  );
}

/** OpenAI's response as our content blocks, tool calls translated into our protocol, and usage. */
export function parseResponse(response: Response): ModelResponse {
  if (response.status === 'failed' || response.status === 'cancelled') throw failure(response);
  const content: ContentBlock[] = [];
  const toolCalls: ToolCall[] = [];
  let refused = false;
  for (const item of response.output) {
    switch (item.type) {
      case 'reasoning':
        content.push(reasoningBlock(item));
        break;
      case 'message':
        for (const part of item.content) {
          if (part.type === 'output_text' && part.text !== '')
            content.push({ type: 'text', text: part.text });
          if (part.type === 'refusal') {
            refused = true;
            content.push({ type: 'text', text: part.refusal });
          }
        }
        break;
      case 'computer_call': {
        const { block, call } = computerCall(item);
        content.push(block);
        toolCalls.push(call);
        break;
      }
      case 'function_call': {
        const { block, call } = functionCall(item);
        content.push(block);
        toolCalls.push(call);
        break;
      }
      default:
        // Hosted tools we do not offer (web search, code interpreter) do not come back.
        break;
    }
  }
  const usage = response.usage;
  const cached = usage?.input_tokens_details?.cached_tokens ?? 0;
  return {
    content,
    toolCalls,
    stopReason: mapStopReason(response, toolCalls.length > 0, refused),
    usage: {
      // input_tokens counts the cached ones too; they are billed at their own rate.
      inputTokens: Math.max(0, (usage?.input_tokens ?? 0) - cached),
      outputTokens: usage?.output_tokens ?? 0,
      cacheReadTokens: cached,
      // Writing the cache is billed as ordinary input (cacheWrite 0 in the price table), so it stays there.
      cacheWriteTokens: 0,
    },
  };
}
