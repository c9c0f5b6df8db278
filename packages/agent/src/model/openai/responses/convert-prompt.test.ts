import type { ContentBlock, ImageBlock, ToolResultBlock } from '@bytebot/protocol';
import { describe, expect, it } from 'vitest';
import type { ModelMessage, ModelRequest } from '../../model-provider.ts';
import { convertMessages, convertPrompt } from './convert-prompt.ts';

function image(data: string): ImageBlock {
  return { type: 'image', source: { type: 'base64', media_type: 'image/png', data } };
}

const checks = [
  { id: 'cu_sc_1', code: 'malicious_instructions', message: 'Please acknowledge this warning.' },
];

function computerTurn(callId: string, extra: Record<string, unknown> = {}): ModelMessage {
  return {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: '', signature: `enc-${callId}`, id: `rs_${callId}` },
      {
        type: 'tool_use',
        id: `${callId}|cu_${callId}`,
        name: 'computer',
        input: { actions: [{ type: 'click', button: 'left', x: 1, y: 2 }], ...extra },
        summary: 'Clicked at (1, 2)',
      },
    ],
  };
}

function result(
  callId: string,
  content: ToolResultBlock['content'],
  extra: Partial<ToolResultBlock> = {},
): ContentBlock {
  return { type: 'tool_result', tool_use_id: `${callId}|cu_${callId}`, content, ...extra };
}

const ran = { actions: [{ action: 'click_mouse', coordinates: { x: 1, y: 2 } }], durationMs: 40 };

describe('our conversation as Responses API input', () => {
  it('sends the computer tool beside our function tools, statelessly', () => {
    const request: ModelRequest = {
      system: 'You are Bytebot.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Open the editor' }] }],
      tools: [
        {
          name: 'set_task_status',
          description: 'Ends the task.',
          inputSchema: { properties: { status: { type: 'string' } } },
        },
      ],
      screen: { width: 1280, height: 960 },
      maxOutputTokens: 4096,
    };
    expect(convertPrompt(request, { model: 'gpt-5.5' })).toEqual({
      model: 'gpt-5.5',
      instructions: 'You are Bytebot.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Open the editor' }] }],
      tools: [
        { type: 'computer' },
        {
          type: 'function',
          name: 'set_task_status',
          description: 'Ends the task.',
          parameters: { type: 'object', properties: { status: { type: 'string' } } },
          strict: false,
        },
      ],
      store: false,
      include: ['reasoning.encrypted_content'],
      max_output_tokens: 4096,
    });
  });

  it('replays the reasoning, the call as it came and its screenshot at original detail', () => {
    const input = convertMessages([
      { role: 'user', content: [{ type: 'text', text: 'Click it' }] },
      computerTurn('call_1'),
      { role: 'user', content: [result('call_1', [image('AAAA')], ran)] },
    ]);
    expect(input).toEqual([
      { role: 'user', content: [{ type: 'input_text', text: 'Click it' }] },
      { type: 'reasoning', summary: [], encrypted_content: 'enc-call_1' },
      {
        type: 'computer_call',
        id: 'cu_call_1',
        call_id: 'call_1',
        status: 'completed',
        actions: [{ type: 'click', button: 'left', x: 1, y: 2 }],
      },
      {
        type: 'computer_call_output',
        call_id: 'call_1',
        output: { type: 'computer_screenshot', image_url: 'data:image/png;base64,AAAA', detail: 'original' },
      },
    ]);
  });

  it('acknowledges the safety checks of a call that ran, not of one held for a person', () => {
    const held: ContentBlock = result(
      'call_1',
      [{ type: 'text', text: 'Not executed: a person was asked to confirm this action first.' }],
      { is_error: true },
    );
    const input = convertMessages([
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      computerTurn('call_0'),
      { role: 'user', content: [result('call_0', [image('BEFORE')], ran)] },
      computerTurn('call_1', { pending_safety_checks: checks }),
      { role: 'user', content: [held, { type: 'text', text: 'Yes, go ahead.' }] },
      computerTurn('call_2', { pending_safety_checks: checks }),
      { role: 'user', content: [result('call_2', [image('AFTER')], ran)] },
    ]);
    const heldCall = input.find(
      (item) => 'call_id' in item && item.call_id === 'call_1' && item.type === 'computer_call',
    );
    expect(heldCall).toMatchObject({ pending_safety_checks: checks });
    const heldOutput = input.find(
      (item) => 'call_id' in item && item.call_id === 'call_1' && item.type === 'computer_call_output',
    );
    // Nothing ran: the screen is the one before, and nobody acknowledged the checks.
    expect(heldOutput).toEqual({
      type: 'computer_call_output',
      call_id: 'call_1',
      output: { type: 'computer_screenshot', image_url: 'data:image/png;base64,BEFORE', detail: 'original' },
    });
    expect(input[input.indexOf(heldOutput as never) + 1]).toEqual({
      role: 'user',
      content: [
        {
          type: 'input_text',
          text: 'Computer call call_1: Not executed: a person was asked to confirm this action first.',
        },
        { type: 'input_text', text: 'Yes, go ahead.' },
      ],
    });
    expect(input.at(-1)).toEqual({
      type: 'computer_call_output',
      call_id: 'call_2',
      output: { type: 'computer_screenshot', image_url: 'data:image/png;base64,AFTER', detail: 'original' },
      acknowledged_safety_checks: checks,
    });
  });

  it('stands a tiny picture in when no screenshot is left, and leaves out reasoning it cannot replay', () => {
    const turn = computerTurn('call_1');
    (turn.content[0] as { signature: string }).signature = '';
    const input = convertMessages([
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      turn,
      {
        role: 'user',
        content: [
          result('call_1', [{ type: 'text', text: '[an earlier screenshot, omitted to save context]' }], ran),
        ],
      },
    ]);
    expect(input.some((item) => 'type' in item && item.type === 'reasoning')).toBe(false);
    expect(input[2]).toMatchObject({
      type: 'computer_call_output',
      output: { image_url: expect.stringMatching(/^data:image\/png;base64,iVBORw0KGgo/) },
    });
  });

  it('answers function calls with text, errors and pictures; a result whose call is gone goes as words', () => {
    const input = convertMessages([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Opening the editor.' },
          { type: 'tool_use', id: 'call_a', name: 'open_application', input: { application: 'text_editor' } },
          { type: 'tool_use', id: 'call_b', name: 'read_file', input: { path: 'a.txt' } },
          { type: 'tool_use', id: 'call_c', name: 'write_file', input: { path: 'b.txt', content: '' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_a', content: [image('SCREEN')] },
          {
            type: 'tool_result',
            tool_use_id: 'call_b',
            content: [{ type: 'text', text: 'no such file' }],
            is_error: true,
          },
          { type: 'tool_result', tool_use_id: 'call_c', content: [] },
          {
            type: 'tool_result',
            tool_use_id: 'call_gone',
            content: [{ type: 'text', text: 'Wrote 3 bytes.' }],
          },
        ],
      },
    ]);
    expect(input).toEqual([
      { role: 'assistant', content: 'Opening the editor.' },
      {
        type: 'function_call',
        call_id: 'call_a',
        name: 'open_application',
        arguments: '{"application":"text_editor"}',
      },
      { type: 'function_call', call_id: 'call_b', name: 'read_file', arguments: '{"path":"a.txt"}' },
      {
        type: 'function_call',
        call_id: 'call_c',
        name: 'write_file',
        arguments: '{"path":"b.txt","content":""}',
      },
      {
        type: 'function_call_output',
        call_id: 'call_a',
        output: [{ type: 'input_image', image_url: 'data:image/png;base64,SCREEN', detail: 'original' }],
      },
      { type: 'function_call_output', call_id: 'call_b', output: 'Error: no such file' },
      { type: 'function_call_output', call_id: 'call_c', output: '(no output)' },
      { role: 'user', content: [{ type: 'input_text', text: 'Wrote 3 bytes.' }] },
    ]);
  });
});
