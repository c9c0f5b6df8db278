import { describe, expect, it } from 'vitest';
import { agentTools } from '../../loop/agent-tools.ts';
import type { ModelMessage, ModelRequest } from '../model-provider.ts';
import { convertMessages, convertPrompt, screenshotFollows } from './convert-prompt.ts';

const png = { type: 'base64' as const, media_type: 'image/png' as const, data: 'iVBORw0KGgo=' };
const jpeg = { type: 'base64' as const, media_type: 'image/jpeg' as const, data: '/9j/4AAQ' };

function request(messages: ModelMessage[]): ModelRequest {
  return {
    system: 'You are Bytebot.',
    messages,
    tools: agentTools,
    screen: { width: 1280, height: 960 },
    maxOutputTokens: 4096,
  };
}

/** Two calls in one turn, as the loop stores them: tool_use with our summary, results with screenshots. */
const twoCallTurn: ModelMessage[] = [
  { role: 'user', content: [{ type: 'text', text: 'Write a note' }] },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: 'I will open the editor and type.' },
      {
        type: 'tool_use',
        id: 'call_open',
        name: 'open_application',
        input: { application: 'text_editor' },
        summary: 'Opened the text editor',
      },
      {
        type: 'tool_use',
        id: 'call_type',
        name: 'type_text',
        input: { text: 'hello' },
        summary: 'Typed "hello"',
      },
    ],
  },
  {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: 'call_open', content: [{ type: 'image', source: png }] },
      {
        type: 'tool_result',
        tool_use_id: 'call_type',
        content: [
          { type: 'text', text: 'Typed.' },
          { type: 'image', source: jpeg },
        ],
      },
      { type: 'text', text: 'Use a bigger font, please.' },
    ],
  },
];

describe('converting our conversation into Chat Completions messages', () => {
  it('sends the system prompt first, then the text of the user', () => {
    expect(convertMessages('You are Bytebot.', [twoCallTurn[0] as ModelMessage])).toEqual([
      { role: 'system', content: 'You are Bytebot.' },
      { role: 'user', content: 'Write a note' },
    ]);
  });

  it('sends the calls with JSON arguments of the stored input, never our summary', () => {
    const assistant = convertMessages('s', twoCallTurn)[2];
    expect(assistant).toEqual({
      role: 'assistant',
      content: 'I will open the editor and type.',
      tool_calls: [
        {
          id: 'call_open',
          type: 'function',
          function: { name: 'open_application', arguments: '{"application":"text_editor"}' },
        },
        { id: 'call_type', type: 'function', function: { name: 'type_text', arguments: '{"text":"hello"}' } },
      ],
    });
    expect(JSON.stringify(convertMessages('s', twoCallTurn))).not.toContain('summary');
    expect(JSON.stringify(convertMessages('s', twoCallTurn))).not.toContain('Opened the text editor');
  });

  it('moves the screenshots of tool results into one user message after all the tool messages', () => {
    const messages = convertMessages('s', twoCallTurn);
    expect(messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'tool',
      'user',
    ]);
    expect(messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_open', content: screenshotFollows });
    expect(messages[4]).toEqual({ role: 'tool', tool_call_id: 'call_type', content: 'Typed.' });
    expect(messages[5]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'The screenshot after open_application (call call_open):' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'text', text: 'The screenshot after type_text (call call_type):' },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        // What the person wrote meanwhile comes after the screenshots, in the same user message.
        { type: 'text', text: 'Use a bigger font, please.' },
      ],
    });
  });

  it('adds no user message when the results are text only, and marks errors', () => {
    const messages = convertMessages('s', [
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'read_file', input: { path: 'x' }, summary: 'Read x' },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'call_1',
            content: [{ type: 'text', text: 'NOT_FOUND: no such file' }],
            is_error: true,
          },
        ],
      },
    ]);
    expect(messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"x"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Error: NOT_FOUND: no such file' },
    ]);
  });

  it('sends images a person attached as image_url parts of their message', () => {
    const messages = convertMessages('s', [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', source: png },
        ],
      },
    ]);
    expect(messages[1]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
    });
  });

  it('offers the computer actions and our tools as function tools', () => {
    const params = convertPrompt(request(twoCallTurn), { model: 'gpt-test', provider: 'openai' });
    const names = (params.tools ?? []).map((tool) =>
      tool.type === 'function' ? tool.function.name : tool.type,
    );
    expect(names).toEqual(
      expect.arrayContaining(['screenshot', 'click_mouse', 'type_text', 'set_task_status']),
    );
    expect(names).not.toContain('computer');
    const click = params.tools?.find(
      (tool) => tool.type === 'function' && tool.function.name === 'click_mouse',
    );
    expect(click).toMatchObject({ type: 'function', function: { parameters: { type: 'object' } } });
    expect(JSON.stringify(click)).not.toContain('"action"');
    expect(params).toMatchObject({ model: 'gpt-test', max_completion_tokens: 4096 });
    expect(params).not.toHaveProperty('max_tokens');
    // Local servers get the older name, which all of them know.
    const local = convertPrompt(request(twoCallTurn), { model: 'local', provider: 'openai-compatible' });
    expect(local).toMatchObject({ max_tokens: 4096 });
    expect(local).not.toHaveProperty('max_completion_tokens');
  });
});
