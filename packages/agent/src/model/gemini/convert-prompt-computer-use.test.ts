import type { ContentBlock } from '@bytebot/protocol';
import { describe, expect, it } from 'vitest';
import type { FunctionTool, ModelMessage, ModelRequest } from '../model-provider.ts';
import { geminiComputerTool } from './computer-use-models.ts';
import { convertMessages, convertPrompt } from './convert-prompt.ts';

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

const call = (id: string, name: string, input: Record<string, unknown>, signature?: string): ContentBlock =>
  ({
    type: 'tool_use',
    id,
    name,
    input,
    summary: 'what a person reads',
    ...(signature ? { providerMetadata: { google: { thoughtSignature: signature } } } : {}),
  }) as ContentBlock;

const ourFunctions: FunctionTool[] = [
  {
    name: 'open_application',
    description: 'Opens an application.',
    inputSchema: { type: 'object', properties: { application: { type: 'string' } } },
  },
  { name: 'set_task_status', description: 'Ends the task.', inputSchema: { type: 'object', properties: {} } },
];

const confirmation = {
  decision: 'require_confirmation',
  explanation: 'Typing changes the document.',
};
const held =
  'Not executed: a person was asked to confirm this action first. Their answer follows; if they agreed, ask for the action again.';

/** A native conversation as the loop stores it: a confirmation held, answered, and the call run. */
const history: ModelMessage[] = [
  { role: 'user', content: [{ type: 'text', text: 'Write a note' }] },
  { role: 'assistant', content: [call('fc-1', 'take_screenshot', { intent: 'look first' }, 'U0lHMQ==')] },
  { role: 'user', content: [result('fc-1', [screenshot('SCREEN1')])] },
  {
    role: 'assistant',
    content: [call('fc-2', 'open_application', { application: 'text_editor' }, 'U0lHMg==')],
  },
  { role: 'user', content: [result('fc-2', [screenshot('SCREEN2')])] },
  {
    role: 'assistant',
    content: [call('fc-3', 'type', { text: 'hello', safety_decision: confirmation }, 'U0lHMw==')],
  },
  { role: 'user', content: [result('fc-3', [{ type: 'text', text: held }], true)] },
  { role: 'user', content: [{ type: 'text', text: 'Yes, go ahead.' }] },
  {
    role: 'assistant',
    content: [call('fc-4', 'type', { text: 'hello', safety_decision: confirmation }, 'U0lHNA==')],
  },
  { role: 'user', content: [result('fc-4', [screenshot('SCREEN4')])] },
  {
    role: 'assistant',
    content: [
      call('fc-5', 'hotkey', { keys: ['Control', 's'] }, 'U0lHNQ=='),
      call('fc-6', 'wait', { seconds: 1 }),
    ],
  },
  {
    role: 'user',
    content: [
      result('fc-5', [screenshot('SCREEN5')]),
      result('fc-6', [{ type: 'text', text: 'DESKTOP_UNAVAILABLE: the display went away' }], true),
    ],
  },
];

describe("converting our conversation for Gemini's computer use tool", () => {
  const contents = convertMessages(history, 'gemini-3.5-flash', { functions: ourFunctions });

  it('sends the calls back as the model made them, signatures and all', () => {
    expect(contents[1]?.parts).toEqual([
      {
        functionCall: { name: 'take_screenshot', args: { intent: 'look first' }, id: 'fc-1' },
        thoughtSignature: 'U0lHMQ==',
      },
    ]);
    expect(contents[5]?.parts?.[0]?.functionCall?.args).toEqual({
      text: 'hello',
      safety_decision: confirmation,
    });
    expect(JSON.stringify(contents)).not.toMatch(/summary|providerMetadata/);
  });

  it("puts a predefined function's screenshot inside its response, with no url", () => {
    expect(contents[2]?.parts).toEqual([
      {
        functionResponse: {
          name: 'take_screenshot',
          id: 'fc-1',
          response: {},
          parts: [{ inlineData: { mimeType: 'image/png', data: 'SCREEN1' } }],
        },
      },
    ]);
    expect(JSON.stringify(contents)).not.toContain('"url"');
  });

  it('answers our own functions as before: JSON, the screenshot beside the responses', () => {
    expect(contents[4]?.parts).toEqual([
      {
        functionResponse: {
          name: 'open_application',
          id: 'fc-2',
          response: { output: 'Done. The screenshot follows.' },
        },
      },
      { inlineData: { mimeType: 'image/png', data: 'SCREEN2' } },
    ]);
  });

  it('does not acknowledge a call held for confirmation, and does acknowledge it once it ran', () => {
    expect(contents[6]?.parts).toEqual([
      { functionResponse: { name: 'type', id: 'fc-3', response: { error: held } } },
      { text: 'Yes, go ahead.' },
    ]);
    expect(contents[8]?.parts).toEqual([
      {
        functionResponse: {
          name: 'type',
          id: 'fc-4',
          response: { safety_acknowledgement: 'true' },
          parts: [{ inlineData: { mimeType: 'image/png', data: 'SCREEN4' } }],
        },
      },
    ]);
  });

  it('answers each of parallel calls, a failure as an error', () => {
    expect(contents[10]?.parts).toEqual([
      {
        functionResponse: {
          name: 'hotkey',
          id: 'fc-5',
          response: {},
          parts: [{ inlineData: { mimeType: 'image/png', data: 'SCREEN5' } }],
        },
      },
      {
        functionResponse: {
          name: 'wait',
          id: 'fc-6',
          response: { error: 'DESKTOP_UNAVAILABLE: the display went away' },
        },
      },
    ]);
  });

  it('offers the computer use tool for the desktop beside our own functions only', () => {
    const request: ModelRequest = {
      system: 'You are Bytebot.',
      messages: history,
      tools: ourFunctions,
      screen: { width: 1280, height: 960 },
      maxOutputTokens: 4096,
    };
    const parameters = convertPrompt(request, 'gemini-3.5-flash', geminiComputerTool('gemini-3.5-flash'));
    expect(parameters.config?.tools).toEqual([
      { computerUse: { environment: 'ENVIRONMENT_DESKTOP' } },
      {
        functionDeclarations: [
          {
            name: 'open_application',
            description: 'Opens an application.',
            parametersJsonSchema: ourFunctions[0]?.inputSchema,
          },
          {
            name: 'set_task_status',
            description: 'Ends the task.',
            parametersJsonSchema: ourFunctions[1]?.inputSchema,
          },
        ],
      },
    ]);
    // A custom tool of ours named like a predefined function replaces it.
    const scroll: FunctionTool = {
      name: 'scroll',
      description: 'Scrolls our way.',
      inputSchema: { type: 'object' },
    };
    const replaced = convertPrompt(
      { ...request, tools: [...ourFunctions, scroll] },
      'gemini-3.5-flash',
      geminiComputerTool('gemini-3.5-flash'),
    );
    expect(replaced.config?.tools?.[0]).toEqual({
      computerUse: { environment: 'ENVIRONMENT_DESKTOP', excludedPredefinedFunctions: ['scroll'] },
    });
    const legacy = convertPrompt(
      request,
      'gemini-3-flash-preview',
      geminiComputerTool('gemini-3-flash-preview'),
    );
    expect(legacy.config?.tools?.[0]).toEqual({
      computerUse: {
        environment: 'ENVIRONMENT_BROWSER',
        excludedPredefinedFunctions: ['open_web_browser', 'search', 'navigate', 'go_back', 'go_forward'],
      },
    });
  });
});
