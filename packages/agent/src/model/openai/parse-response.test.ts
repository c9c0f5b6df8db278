import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { mapStopReason } from './map-stop-reason.ts';
import { parseResponse } from './parse-response.ts';

type Message = OpenAI.Chat.ChatCompletionMessage;

function completion(
  message: Partial<Message>,
  finishReason: OpenAI.Chat.ChatCompletion.Choice['finish_reason'] = 'tool_calls',
  usage?: OpenAI.CompletionUsage,
): OpenAI.Chat.ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-test',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: null, refusal: null, ...message },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

function call(id: string, name: string, args: string): OpenAI.Chat.ChatCompletionMessageFunctionToolCall {
  return { id, type: 'function', function: { name, arguments: args } };
}

describe("parsing OpenAI's reply", () => {
  it('turns text and function calls into our blocks and tool calls', () => {
    const response = parseResponse(
      completion({
        content: 'Clicking the button.',
        tool_calls: [
          call('call_1', 'click_mouse', '{"coordinates":{"x":10,"y":20},"button":"left","clickCount":1}'),
          call('call_2', 'set_task_status', '{"status":"completed","description":"done"}'),
          call('call_3', 'screenshot', '{}'),
        ],
      }),
    );
    expect(response.content).toEqual([
      { type: 'text', text: 'Clicking the button.' },
      {
        type: 'tool_use',
        id: 'call_1',
        name: 'click_mouse',
        input: { coordinates: { x: 10, y: 20 }, button: 'left', clickCount: 1 },
      },
      {
        type: 'tool_use',
        id: 'call_2',
        name: 'set_task_status',
        input: { status: 'completed', description: 'done' },
      },
      { type: 'tool_use', id: 'call_3', name: 'screenshot', input: {} },
    ]);
    expect(response.toolCalls[0]).toMatchObject({
      kind: 'computer',
      id: 'call_1',
      actions: [{ action: 'click_mouse', coordinates: { x: 10, y: 20 }, button: 'left', clickCount: 1 }],
    });
    expect(response.toolCalls[1]).toEqual({
      kind: 'function',
      id: 'call_2',
      name: 'set_task_status',
      input: { status: 'completed', description: 'done' },
    });
    // A screenshot needs no action: every computer result carries one.
    expect(response.toolCalls[2]).toMatchObject({ kind: 'computer', id: 'call_3', actions: [] });
    expect(response.stopReason).toBe('tool_use');
  });

  it('answers arguments that are not JSON with an invalid call and stores {} as the input', () => {
    const response = parseResponse(
      completion({ tool_calls: [call('call_bad', 'type_text', '{"text": "hello')] }),
    );
    expect(response.content).toEqual([{ type: 'tool_use', id: 'call_bad', name: 'type_text', input: {} }]);
    expect(response.toolCalls).toHaveLength(1);
    const [invalid] = response.toolCalls;
    expect(invalid).toMatchObject({ kind: 'invalid', id: 'call_bad', name: 'type_text' });
    expect(invalid?.kind === 'invalid' ? invalid.error : '').toMatch(/not valid JSON.*JSON object/);
  });

  it('answers arguments that are JSON but no object, and computer input that breaks the protocol', () => {
    const response = parseResponse(
      completion({
        tool_calls: [
          call('call_a', 'set_task_status', '[1, 2]'),
          call('call_b', 'click_mouse', '{"button":"up"}'),
        ],
      }),
    );
    expect(response.toolCalls[0]).toMatchObject({ kind: 'invalid', id: 'call_a' });
    expect(response.toolCalls[1]).toMatchObject({ kind: 'invalid', id: 'call_b', name: 'click_mouse' });
    expect(response.content[1]).toEqual({
      type: 'tool_use',
      id: 'call_b',
      name: 'click_mouse',
      input: { button: 'up' },
    });
  });

  it('takes empty arguments as no arguments, and fills in a missing call id', () => {
    const response = parseResponse(
      completion(
        { tool_calls: [{ id: '', type: 'function', function: { name: 'screenshot', arguments: '' } }] },
        'stop',
      ),
    );
    const [block] = response.content;
    expect(block).toMatchObject({ type: 'tool_use', name: 'screenshot', input: {} });
    expect(block?.type === 'tool_use' ? block.id : '').toMatch(/^call_0_/);
    expect(response.toolCalls[0]).toMatchObject({ kind: 'computer', actions: [] });
    // "stop" with calls in the message (some local servers) is still a tool turn.
    expect(response.stopReason).toBe('tool_use');
  });

  it('counts cached prompt tokens apart from the others', () => {
    const response = parseResponse(
      completion({ content: 'Done.' }, 'stop', {
        prompt_tokens: 1200,
        completion_tokens: 30,
        total_tokens: 1230,
        prompt_tokens_details: { cached_tokens: 1024 },
      }),
    );
    expect(response.usage).toEqual({
      inputTokens: 176,
      outputTokens: 30,
      cacheReadTokens: 1024,
      cacheWriteTokens: 0,
    });
    expect(response.stopReason).toBe('end_turn');
    expect(parseResponse(completion({ content: 'x' }, 'stop')).usage).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('keeps a refusal as text', () => {
    const response = parseResponse(completion({ refusal: 'I cannot help with that.' }, 'stop'));
    expect(response.content).toEqual([{ type: 'text', text: 'I cannot help with that.' }]);
    expect(response.stopReason).toBe('refusal');
  });

  it('maps finish reasons', () => {
    expect(mapStopReason('stop')).toBe('end_turn');
    expect(mapStopReason('tool_calls')).toBe('tool_use');
    expect(mapStopReason('length')).toBe('max_tokens');
    expect(mapStopReason('content_filter')).toBe('refusal');
    expect(mapStopReason(null)).toBe('other');
  });
});
