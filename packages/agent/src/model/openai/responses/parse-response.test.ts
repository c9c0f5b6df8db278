import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../model-error.ts';
import { parseResponse } from './parse-response.ts';

type OutputItem = OpenAI.Responses.ResponseOutputItem;

function response(
  output: Array<Record<string, unknown>>,
  extra: Partial<OpenAI.Responses.Response> = {},
): OpenAI.Responses.Response {
  return {
    id: 'resp_1',
    object: 'response',
    created_at: 1_700_000_000,
    status: 'completed',
    error: null,
    incomplete_details: null,
    model: 'gpt-5.5',
    output: output as unknown as OutputItem[],
    usage: {
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 200, cache_write_tokens: 0 },
      output_tokens: 80,
      output_tokens_details: { reasoning_tokens: 40 },
      total_tokens: 1280,
    },
    ...extra,
  } as OpenAI.Responses.Response;
}

const reasoning = {
  type: 'reasoning',
  id: 'rs_1',
  summary: [{ type: 'summary_text', text: 'Looking for the box.' }],
  encrypted_content: 'gAAAA-secret',
};

const computerCall = {
  type: 'computer_call',
  id: 'cu_1',
  call_id: 'call_1',
  status: 'completed',
  pending_safety_checks: [],
  actions: [
    { type: 'click', button: 'left', x: 405, y: 157 },
    { type: 'type', text: 'penguin' },
  ],
};

describe("parsing OpenAI's Responses API reply", () => {
  it('keeps reasoning to send back, and makes one tool call of a batched computer_call', () => {
    const parsed = parseResponse(response([reasoning, computerCall]));
    expect(parsed.content).toEqual([
      { type: 'thinking', thinking: 'Looking for the box.', signature: 'gAAAA-secret', id: 'rs_1' },
      {
        type: 'tool_use',
        id: 'call_1|cu_1',
        name: 'computer',
        input: { actions: computerCall.actions },
      },
    ]);
    expect(parsed.toolCalls).toEqual([
      {
        kind: 'computer',
        id: 'call_1|cu_1',
        actions: [
          { action: 'click_mouse', coordinates: { x: 405, y: 157 }, button: 'left', clickCount: 1 },
          { action: 'type_text', text: 'penguin' },
        ],
        describe: 'Clicked at (405, 157), then typed "penguin"',
        alwaysScreenshot: true,
      },
    ]);
    expect(parsed.stopReason).toBe('tool_use');
    expect(parsed.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 80,
      cacheReadTokens: 200,
      cacheWriteTokens: 0,
    });
  });

  it('asks a person to confirm a call with pending safety checks, and keeps the checks with the call', () => {
    const checks = [
      {
        id: 'cu_sc_1',
        code: 'malicious_instructions',
        message: "We've detected instructions that may cause harm.",
      },
      { id: 'cu_sc_2', code: 'sensitive_domain', message: null },
    ];
    const parsed = parseResponse(response([{ ...computerCall, pending_safety_checks: checks }]));
    expect(parsed.content[0]).toMatchObject({ input: { pending_safety_checks: checks } });
    expect(parsed.toolCalls[0]).toMatchObject({
      kind: 'computer',
      confirm:
        "We've detected instructions that may cause harm; OpenAI's sensitive_domain check flagged this action",
    });
  });

  it('reads a computer_call in the preview shape (one action)', () => {
    const { call_id, id, status } = computerCall;
    const parsed = parseResponse(
      response([
        {
          type: 'computer_call',
          call_id,
          id,
          status,
          pending_safety_checks: [],
          action: { type: 'screenshot' },
        },
      ]),
    );
    expect(parsed.content).toEqual([
      { type: 'tool_use', id: 'call_1|cu_1', name: 'computer', input: { action: { type: 'screenshot' } } },
    ]);
    expect(parsed.toolCalls[0]).toMatchObject({
      kind: 'computer',
      actions: [],
      describe: 'Took a screenshot',
    });
  });

  it('answers an action it cannot carry out as an invalid call, kept as the model sent it', () => {
    const parsed = parseResponse(
      response([{ ...computerCall, actions: [{ type: 'keypress', keys: ['HYPER'] }] }]),
    );
    expect(parsed.content[0]).toMatchObject({ input: { actions: [{ type: 'keypress', keys: ['HYPER'] }] } });
    expect(parsed.toolCalls).toEqual([
      { kind: 'invalid', id: 'call_1|cu_1', name: 'computer', error: 'unknown key "HYPER" (keypress)' },
    ]);
  });

  it('reads function calls and text', () => {
    const parsed = parseResponse(
      response([
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Opening it.', annotations: [] }],
        },
        {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_2',
          name: 'open_application',
          arguments: '{"application":"text_editor"}',
          status: 'completed',
        },
        {
          type: 'function_call',
          id: 'fc_2',
          call_id: 'call_3',
          name: 'write_file',
          arguments: '{"path":',
          status: 'completed',
        },
      ]),
    );
    expect(parsed.content).toEqual([
      { type: 'text', text: 'Opening it.' },
      { type: 'tool_use', id: 'call_2', name: 'open_application', input: { application: 'text_editor' } },
      { type: 'tool_use', id: 'call_3', name: 'write_file', input: {} },
    ]);
    expect(parsed.toolCalls).toEqual([
      { kind: 'function', id: 'call_2', name: 'open_application', input: { application: 'text_editor' } },
      { kind: 'invalid', id: 'call_3', name: 'write_file', error: expect.stringContaining('not valid JSON') },
    ]);
  });

  it('maps the stop: done, cut off, withheld, refused', () => {
    const text = {
      type: 'message',
      id: 'msg_1',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Done.', annotations: [] }],
    };
    expect(parseResponse(response([text])).stopReason).toBe('end_turn');
    expect(
      parseResponse(
        response([text], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }),
      ).stopReason,
    ).toBe('max_tokens');
    expect(
      parseResponse(response([], { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }))
        .stopReason,
    ).toBe('refusal');
    const refusal = parseResponse(
      response([{ ...text, content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] }]),
    );
    expect(refusal).toMatchObject({
      stopReason: 'refusal',
      content: [{ type: 'text', text: 'I cannot help with that.' }],
    });
  });

  it('throws for a failed response, retryable when the service failed', () => {
    const failed = () =>
      parseResponse(
        response([], {
          status: 'failed',
          error: { code: 'server_error', message: 'The server had an error.' },
        }),
      );
    expect(failed).toThrow(ModelError);
    expect(failed).toThrow(/server_error\): The server had an error/);
    try {
      failed();
    } catch (error) {
      expect((error as ModelError).retryable).toBe(true);
    }
  });
});
