import type { ContentBlock } from '@bytebot/protocol';
import type { Tool } from '@google/genai';
import { describe, expect, it } from 'vitest';
import type { ModelMessage, ModelRequest } from '../model-provider.ts';
import { convertMessages, convertPrompt, skipThoughtSignature } from './convert-prompt.ts';

const screenshot = (data: string): ContentBlock => ({
  type: 'image',
  source: { type: 'base64', media_type: 'image/png', data },
});

const result = (id: string, content: ContentBlock[], isError = false): ContentBlock =>
  ({
    type: 'tool_result',
    tool_use_id: id,
    content,
    ...(isError ? { is_error: true } : {}),
  }) as ContentBlock;

/** A conversation as the loop stores it: made-up ids (Gemini 2.x), a Gemini id with a signature, summaries. */
const history: ModelMessage[] = [
  { role: 'user', content: [{ type: 'text', text: 'Write a note' }] },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: 'Looking first.' },
      {
        type: 'tool_use',
        id: 'call_1_0a1b2c3d',
        name: 'screenshot',
        input: {},
        summary: 'Took a screenshot',
      },
    ],
  },
  { role: 'user', content: [result('call_1_0a1b2c3d', [screenshot('SCREEN1')])] },
  {
    role: 'assistant',
    content: [
      {
        type: 'tool_use',
        id: 'fc-7Hq2',
        name: 'open_application',
        input: { application: 'text_editor' },
        summary: 'Opened the text editor',
        providerMetadata: { google: { thoughtSignature: 'U0lHTkFUVVJF' } },
      } as ContentBlock,
    ],
  },
  { role: 'user', content: [result('fc-7Hq2', [screenshot('SCREEN2')])] },
  {
    role: 'assistant',
    content: [
      {
        type: 'tool_use',
        id: 'call_2_11223344',
        name: 'type_text',
        input: { text: 'hi' },
        summary: 'Typed "hi"',
      },
      {
        type: 'tool_use',
        id: 'call_3_55667788',
        name: 'type_keys',
        input: { keys: ['ctrl', 's'] },
        summary: 'Pressed Control_L+s',
      },
    ],
  },
  {
    role: 'user',
    content: [
      result('call_2_11223344', [screenshot('SCREEN3')]),
      result('call_3_55667788', [{ type: 'text', text: 'invalid input: keys: unknown key' }], true),
      { type: 'text', text: 'Please hurry.' },
    ],
  },
];

describe('converting our conversation into Gemini contents', () => {
  const contents = convertMessages(history, 'gemini-2.5-pro');

  it('maps roles and keeps turns alternating', () => {
    expect(contents.map((content) => content.role)).toEqual([
      'user',
      'model',
      'user',
      'model',
      'user',
      'model',
      'user',
    ]);
    expect(contents[0]?.parts).toEqual([{ text: 'Write a note' }]);
  });

  it('sends calls with their name and arguments only: no summary, no made-up id', () => {
    expect(contents[1]?.parts).toEqual([
      { text: 'Looking first.' },
      { functionCall: { name: 'screenshot', args: {} } },
    ]);
    expect(JSON.stringify(contents)).not.toContain('summary');
    expect(JSON.stringify(contents)).not.toContain('call_1_0a1b2c3d');
  });

  it("keeps Gemini's own id and the call's thought signature", () => {
    expect(contents[3]?.parts).toEqual([
      {
        functionCall: { name: 'open_application', args: { application: 'text_editor' }, id: 'fc-7Hq2' },
        thoughtSignature: 'U0lHTkFUVVJF',
      },
    ]);
    expect(contents[4]?.parts?.[0]).toEqual({
      functionResponse: {
        name: 'open_application',
        id: 'fc-7Hq2',
        response: { output: 'Done. The screenshot follows.' },
      },
    });
  });

  it('names each function response after its call and puts the screenshot right after the responses', () => {
    expect(contents[2]?.parts).toEqual([
      { functionResponse: { name: 'screenshot', response: { output: 'Done. The screenshot follows.' } } },
      { inlineData: { mimeType: 'image/png', data: 'SCREEN1' } },
    ]);
    expect(contents[6]?.parts).toEqual([
      { functionResponse: { name: 'type_text', response: { output: 'Done. The screenshot follows.' } } },
      { functionResponse: { name: 'type_keys', response: { error: 'invalid input: keys: unknown key' } } },
      { inlineData: { mimeType: 'image/png', data: 'SCREEN3' } },
      { text: 'Please hurry.' },
    ]);
  });

  it('says which call each screenshot belongs to when a turn has several', () => {
    const [, , answers] = convertMessages(
      [
        { role: 'user', content: [{ type: 'text', text: 'go' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'call_4_aaaaaaaa', name: 'wait', input: { duration: 1 } },
            { type: 'tool_use', id: 'call_5_bbbbbbbb', name: 'screenshot', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            result('call_4_aaaaaaaa', [screenshot('A')]),
            result('call_5_bbbbbbbb', [screenshot('B')]),
          ],
        },
      ],
      'gemini-2.5-flash',
    );
    expect(
      answers?.parts?.map((part) => part.functionResponse?.name ?? part.text ?? part.inlineData?.data),
    ).toEqual(['wait', 'screenshot', 'Screenshot after wait:', 'A', 'Screenshot after screenshot:', 'B']);
  });

  it('gives Gemini 3 the documented placeholder where a signature is missing, and older models nothing', () => {
    const gemini3 = convertMessages(history, 'gemini-3-pro-preview');
    expect(gemini3[1]?.parts?.[1]?.thoughtSignature).toBe(skipThoughtSignature);
    // A real signature is kept as it is.
    expect(gemini3[3]?.parts?.[0]?.thoughtSignature).toBe('U0lHTkFUVVJF');
    // Parallel calls: only the first carries it.
    expect(gemini3[5]?.parts?.map((part) => part.thoughtSignature)).toEqual([
      skipThoughtSignature,
      undefined,
    ]);
    expect(JSON.stringify(contents)).not.toContain(skipThoughtSignature);
  });

  it('drops empty text and never leaves two turns of one role side by side', () => {
    const merged = convertMessages(
      [
        { role: 'user', content: [{ type: 'text', text: 'first' }] },
        { role: 'assistant', content: [{ type: 'text', text: '' }] },
        { role: 'user', content: [{ type: 'text', text: 'second' }, screenshot('PHOTO')] },
      ],
      'gemini-2.5-pro',
    );
    expect(merged).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'first' },
          { text: 'second' },
          { inlineData: { mimeType: 'image/png', data: 'PHOTO' } },
        ],
      },
    ]);
  });

  it('declares our computer actions and tools as JSON Schema function declarations', () => {
    const request: ModelRequest = {
      system: 'You are Bytebot.',
      messages: history,
      tools: [
        {
          name: 'set_task_status',
          description: 'Ends the task.',
          inputSchema: { type: 'object', properties: {} },
        },
      ],
      screen: { width: 1280, height: 960 },
      maxOutputTokens: 4096,
    };
    const parameters = convertPrompt(request, 'gemini-2.5-pro');
    expect(parameters.model).toBe('gemini-2.5-pro');
    expect(parameters.config?.systemInstruction).toBe('You are Bytebot.');
    expect(parameters.config?.maxOutputTokens).toBe(4096);
    const declarations = (parameters.config?.tools?.[0] as Tool | undefined)?.functionDeclarations ?? [];
    const names = declarations.map((declaration) => declaration.name);
    expect(names).toEqual(
      expect.arrayContaining(['screenshot', 'click_mouse', 'type_text', 'type_keys', 'wait']),
    );
    expect(names.at(-1)).toBe('set_task_status');
    expect(
      declarations.find((declaration) => declaration.name === 'type_keys')?.parametersJsonSchema,
    ).toMatchObject({
      type: 'object',
      required: ['keys'],
      properties: { keys: { type: 'array' } },
    });
  });
});
