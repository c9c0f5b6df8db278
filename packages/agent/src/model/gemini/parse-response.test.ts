import type { ContentBlock } from '@bytebot/protocol';
import { GenerateContentResponse } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { convertMessages } from './convert-prompt.ts';
import { mapStopReason } from './map-stop-reason.ts';
import { parseResponse } from './parse-response.ts';

/** A response as the SDK hands it over (it copies the JSON onto a GenerateContentResponse). */
function response(json: Record<string, unknown>): GenerateContentResponse {
  return Object.assign(new GenerateContentResponse(), json);
}

const twoCalls = response({
  candidates: [
    {
      content: {
        role: 'model',
        parts: [
          { text: 'Typing it now.' },
          { functionCall: { name: 'type_text', args: { text: 'hello' } }, thoughtSignature: 'U0lH' },
          { functionCall: { name: 'type_keys', args: { keys: ['ctrl', 's'] } } },
        ],
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 1200,
    cachedContentTokenCount: 1000,
    candidatesTokenCount: 30,
    thoughtsTokenCount: 70,
    totalTokenCount: 1300,
  },
  modelVersion: 'gemini-2.5-pro',
});

describe("parsing Gemini's response", () => {
  it('makes up an id for each call without one and translates computer calls into our protocol', () => {
    const parsed = parseResponse(twoCalls);
    expect(parsed.stopReason).toBe('tool_use');
    expect(parsed.content[0]).toEqual({ type: 'text', text: 'Typing it now.' });
    const ids = parsed.toolCalls.map((call) => call.id);
    expect(ids[0]).toMatch(/^call_\d+_[0-9a-f]{8}$/);
    expect(new Set(ids).size).toBe(2);
    expect(parsed.toolCalls).toEqual([
      {
        kind: 'computer',
        id: ids[0],
        actions: [{ action: 'type_text', text: 'hello' }],
        describe: expect.any(String),
      },
      {
        kind: 'computer',
        id: ids[1],
        actions: [{ action: 'type_keys', keys: ['ctrl', 's'] }],
        describe: expect.any(String),
      },
    ]);
    // The stored blocks carry the same ids, the arguments as sent, and the signature of the first call.
    expect(parsed.content.slice(1)).toEqual([
      {
        type: 'tool_use',
        id: ids[0],
        name: 'type_text',
        input: { text: 'hello' },
        providerMetadata: { google: { thoughtSignature: 'U0lH' } },
      },
      { type: 'tool_use', id: ids[1], name: 'type_keys', input: { keys: ['ctrl', 's'] } },
    ]);
  });

  it("keeps Gemini's ids, and tells our tools from bad computer calls", () => {
    const parsed = parseResponse(
      response({
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  functionCall: {
                    id: 'fc-1',
                    name: 'set_task_status',
                    args: { status: 'completed', description: 'ok' },
                  },
                },
                { functionCall: { id: 'fc-2', name: 'click_mouse', args: { button: 'sideways' } } },
                { functionCall: { id: 'fc-3', name: 'cursor_position' } },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      }),
    );
    expect(parsed.toolCalls[0]).toEqual({
      kind: 'function',
      id: 'fc-1',
      name: 'set_task_status',
      input: { status: 'completed', description: 'ok' },
    });
    expect(parsed.toolCalls[1]).toMatchObject({ kind: 'invalid', id: 'fc-2', name: 'click_mouse' });
    expect(parsed.toolCalls[2]).toMatchObject({
      kind: 'computer',
      id: 'fc-3',
      actions: [{ action: 'cursor_position' }],
    });
    expect(parsed.usage).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('counts cached prompt tokens apart and thinking as output', () => {
    expect(parseResponse(twoCalls).usage).toEqual({
      inputTokens: 200,
      cacheReadTokens: 1000,
      outputTokens: 100,
      cacheWriteTokens: 0,
    });
  });

  it('matches the results back to the calls by name, in a stored round trip', () => {
    const parsed = parseResponse(twoCalls);
    // What the loop stores: the content with a summary on each call, then one result per call.
    const stored: ContentBlock[] = parsed.content.map((block) =>
      block.type === 'tool_use' ? { ...block, summary: `did ${block.name}` } : block,
    );
    const [first, second] = parsed.toolCalls;
    const contents = convertMessages(
      [
        { role: 'user', content: [{ type: 'text', text: 'save a file' }] },
        { role: 'assistant', content: stored },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: first?.id ?? '',
              content: [
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AFTER' } },
              ],
            },
            {
              type: 'tool_result',
              tool_use_id: second?.id ?? '',
              content: [{ type: 'text', text: 'saved' }],
            },
          ],
        },
      ],
      'gemini-2.5-pro',
    );
    expect(contents[1]?.parts).toEqual([
      { text: 'Typing it now.' },
      { functionCall: { name: 'type_text', args: { text: 'hello' } }, thoughtSignature: 'U0lH' },
      { functionCall: { name: 'type_keys', args: { keys: ['ctrl', 's'] } } },
    ]);
    expect(contents[2]?.parts).toEqual([
      { functionResponse: { name: 'type_text', response: { output: 'Done. The screenshot follows.' } } },
      { functionResponse: { name: 'type_keys', response: { output: 'saved' } } },
      { inlineData: { mimeType: 'image/png', data: 'AFTER' } },
    ]);
  });

  it('maps finish reasons, and a blocked prompt to a refusal', () => {
    expect(mapStopReason('STOP', false)).toBe('end_turn');
    expect(mapStopReason('STOP', true)).toBe('tool_use');
    expect(mapStopReason('MAX_TOKENS', false)).toBe('max_tokens');
    expect(mapStopReason('SAFETY', false)).toBe('refusal');
    expect(mapStopReason('PROHIBITED_CONTENT', false)).toBe('refusal');
    expect(mapStopReason('MALFORMED_FUNCTION_CALL', false)).toBe('other');
    expect(mapStopReason(undefined, false)).toBe('other');
    const blocked = parseResponse(response({ promptFeedback: { blockReason: 'SAFETY' } }));
    expect(blocked).toMatchObject({
      content: [],
      toolCalls: [],
      stopReason: 'refusal',
      finishReason: 'SAFETY',
    });
  });
});
