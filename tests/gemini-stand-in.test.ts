import { type Content, Environment, GoogleGenAI, type Tool } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reply,
  type ScriptedGeminiServer,
  startScriptedGeminiServer,
} from './support/scripted-gemini-server.ts';

/*
 * The scripted Gemini server refuses what the Gemini API refuses. Each rule gets a request that keeps it
 * (answered) and one that breaks it (400 INVALID_ARGUMENT), both sent through the real @google/genai SDK.
 */

const desktop: Tool[] = [
  { computerUse: { environment: Environment.ENVIRONMENT_DESKTOP } },
  { functionDeclarations: [{ name: 'open_application', parametersJsonSchema: { type: 'object' } }] },
];

const png =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const screenshotPart = { inlineData: { mimeType: 'image/png', data: png } };

const ask: Content = { role: 'user', parts: [{ text: 'Write a note' }] };

function modelCalls(
  ...calls: Array<{ name: string; args?: Record<string, unknown>; id?: string; sig?: string }>
) {
  return {
    role: 'model',
    parts: calls.map((call) => ({
      functionCall: { name: call.name, args: call.args ?? {}, ...(call.id ? { id: call.id } : {}) },
      ...(call.sig ? { thoughtSignature: call.sig } : {}),
    })),
  } satisfies Content;
}

function responses(
  ...answers: Array<{ name: string; id?: string; response?: Record<string, unknown>; screenshot?: boolean }>
) {
  return {
    role: 'user',
    parts: answers.map((answer) => ({
      functionResponse: {
        name: answer.name,
        ...(answer.id ? { id: answer.id } : {}),
        response: answer.response ?? {},
        ...(answer.screenshot === false ? {} : { parts: [screenshotPart] }),
      },
    })),
  } satisfies Content;
}

describe('the scripted Gemini server enforces the documented rules', () => {
  let server: ScriptedGeminiServer;
  let client: GoogleGenAI;

  beforeAll(async () => {
    server = await startScriptedGeminiServer();
    client = new GoogleGenAI({
      apiKey: 'test-key',
      vertexai: false,
      httpOptions: { baseUrl: server.url, apiVersion: 'v1beta' },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Sends a request the server should answer; the script gets a plain text step for it. */
  async function accepted(model: string, contents: Content[], tools: Tool[] = desktop): Promise<void> {
    server.play([reply.text('fine')]);
    const response = await client.models.generateContent({ model, contents, config: { tools } });
    expect(response.text).toBe('fine');
  }

  /** Sends a request the server should refuse; its message must contain `expected`. */
  async function refused(model: string, contents: Content[], expected: string, tools: Tool[] = desktop) {
    server.play([reply.text('should not be played')]);
    const before = server.refusals.length;
    const error = await client.models
      .generateContent({ model, contents, config: { tools } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400 });
    // The SDK's ApiError carries Google's error body as its message.
    const body = JSON.parse((error as Error).message) as { error: { status: string; message: string } };
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain(expected);
    expect(server.refusals.length).toBe(before + 1);
    server.play([]);
  }

  /** Has the server send calls (so it knows their ids and signatures) and returns the model turn as sent. */
  async function issue(
    model: string,
    calls: Array<{ name: string; args: Record<string, unknown>; id?: string; thoughtSignature?: string }>,
    contents: Content[] = [ask],
  ): Promise<Content> {
    server.play([reply.calls(...calls)]);
    const response = await client.models.generateContent({ model, contents, config: { tools: desktop } });
    const content = response.candidates?.[0]?.content;
    if (!content) throw new Error('no content');
    return content;
  }

  describe('the computer use tool', () => {
    it('needs an environment', async () => {
      await accepted('gemini-3.5-flash', [ask]);
      await refused('gemini-3.5-flash', [ask], 'computer_use.environment is required', [{ computerUse: {} }]);
    });

    it('has no fields beyond those of ComputerUse', async () => {
      await refused('gemini-3.5-flash', [ask], 'Unknown name "displayWidth"', [
        {
          computerUse: {
            environment: Environment.ENVIRONMENT_DESKTOP,
            displayWidth: 1280,
          } as Tool['computerUse'],
        },
      ]);
    });

    it('is there only for models that have it', async () => {
      await accepted(
        'gemini-2.5-computer-use-preview-10-2025',
        [ask],
        [{ computerUse: { environment: Environment.ENVIRONMENT_BROWSER } }],
      );
      await refused(
        'gemini-2.5-flash',
        [ask],
        'Computer Use is not supported for model models/gemini-2.5-flash',
      );
      await refused('gemini-2.5-pro', [ask], 'Computer Use is not supported');
    });

    it('takes the desktop environment from Gemini 3.5 Flash on', async () => {
      await refused(
        'gemini-3-flash-preview',
        [ask],
        'ENVIRONMENT_DESKTOP requires Gemini 3.5 Flash or later',
      );
    });

    it("excludes only the model's own predefined functions", async () => {
      const legacy = (excluded: string[]): Tool[] => [
        {
          computerUse: {
            environment: Environment.ENVIRONMENT_BROWSER,
            excludedPredefinedFunctions: excluded,
          },
        },
      ];
      await accepted('gemini-3-flash-preview', [ask], legacy(['navigate', 'go_back']));
      await refused(
        'gemini-3-flash-preview',
        [ask],
        '"click" is not a predefined function',
        legacy(['click']),
      );
    });

    it('names declared functions as the API allows', async () => {
      await refused('gemini-2.5-flash', [ask], 'Invalid function name: "open application"', [
        { functionDeclarations: [{ name: 'open application' }] },
      ]);
    });

    it('lets a declared function replace a predefined one only once that one is excluded', async () => {
      const clash: Tool[] = [
        { computerUse: { environment: Environment.ENVIRONMENT_DESKTOP } },
        { functionDeclarations: [{ name: 'click' }] },
      ];
      await refused('gemini-3.5-flash', [ask], 'Function declaration "click"', clash);
      await accepted(
        'gemini-3.5-flash',
        [ask],
        [
          {
            computerUse: {
              environment: Environment.ENVIRONMENT_DESKTOP,
              excludedPredefinedFunctions: ['click'],
            },
          },
          { functionDeclarations: [{ name: 'click' }] },
        ],
      );
    });
  });

  describe('function responses', () => {
    it('answer every call of the turn before, one response each', async () => {
      const turn = await issue('gemini-3.5-flash', [
        { name: 'take_screenshot', args: {}, id: 'fr-1', thoughtSignature: 'U0lHLWZyMQ==' },
        { name: 'wait', args: { seconds: 1 }, id: 'fr-2' },
      ]);
      await refused(
        'gemini-3.5-flash',
        [ask, turn, responses({ name: 'take_screenshot', id: 'fr-1' })],
        'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.',
      );
      await accepted('gemini-3.5-flash', [
        ask,
        turn,
        responses({ name: 'take_screenshot', id: 'fr-1' }, { name: 'wait', id: 'fr-2' }),
      ]);
    });

    it('carry the name and the id of their call', async () => {
      const turn = await issue('gemini-3.5-flash', [
        { name: 'take_screenshot', args: {}, id: 'fr-3', thoughtSignature: 'U0lHLWZyMw==' },
      ]);
      await refused(
        'gemini-3.5-flash',
        [ask, turn, responses({ name: 'wait', id: 'fr-3' })],
        'does not match the name of its function call',
      );
      await refused(
        'gemini-3.5-flash',
        [ask, turn, responses({ name: 'take_screenshot', id: 'fr-other' })],
        'No function response answers the function call with id "fr-3"',
      );
    });

    it('come right after the call turn, which comes right after a user turn', async () => {
      await refused(
        'gemini-3.5-flash',
        [ask, responses({ name: 'take_screenshot' })],
        'Please ensure that function response turn comes immediately after a function call turn.',
      );
      await refused(
        'gemini-3.5-flash',
        [modelCalls({ name: 'take_screenshot', sig: 'skip_thought_signature_validator' })],
        'Please ensure that function call turn comes immediately after a user turn or after a function response turn.',
      );
    });

    it("carry each executed action's screenshot inside, as an image", async () => {
      const turn = await issue('gemini-3.5-flash', [
        { name: 'click', args: { x: 10, y: 10 }, id: 'fr-4', thoughtSignature: 'U0lHLWZyNA==' },
      ]);
      await refused(
        'gemini-3.5-flash',
        [ask, turn, responses({ name: 'click', id: 'fr-4', screenshot: false })],
        'carries no screenshot',
      );
      // Beside the response is not inside it.
      await refused(
        'gemini-3.5-flash',
        [
          ask,
          turn,
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'click', id: 'fr-4', response: {} } }, screenshotPart],
          },
        ],
        'carries no screenshot',
      );
      await refused(
        'gemini-3.5-flash',
        [
          ask,
          turn,
          {
            role: 'user',
            parts: [
              {
                functionResponse: {
                  name: 'click',
                  id: 'fr-4',
                  response: {},
                  parts: [{ inlineData: { mimeType: 'text/plain', data: 'aGk=' } }],
                },
              },
            ],
          },
        ],
        'Unsupported MIME type: text/plain',
      );
      // An action that failed ran nothing to show.
      await accepted('gemini-3.5-flash', [
        ask,
        turn,
        responses({ name: 'click', id: 'fr-4', response: { error: 'the click failed' }, screenshot: false }),
      ]);
      await accepted('gemini-3.5-flash', [ask, turn, responses({ name: 'click', id: 'fr-4' })]);
    });

    it('acknowledge a call that required confirmation once it ran, and only with "true"', async () => {
      const risky = {
        name: 'click',
        args: {
          x: 60,
          y: 100,
          safety_decision: { decision: 'require_confirmation', explanation: 'A CAPTCHA.' },
        },
      };
      const turn = await issue('gemini-3.5-flash', [
        { ...risky, id: 'fr-5', thoughtSignature: 'U0lHLWZyNQ==' },
      ]);
      await refused(
        'gemini-3.5-flash',
        [ask, turn, responses({ name: 'click', id: 'fr-5' })],
        'must carry safety_acknowledgement "true"',
      );
      await refused(
        'gemini-3.5-flash',
        [ask, turn, responses({ name: 'click', id: 'fr-5', response: { safety_acknowledgement: true } })],
        'safety_acknowledgement must be the string "true"',
      );
      await refused(
        'gemini-3.5-flash',
        [ask, turn, responses({ name: 'click', id: 'fr-5', response: { error: 'oops' } })],
        'required confirmation and was executed',
      );
      // Not run yet: a person was asked; no acknowledgement, no screenshot.
      await accepted('gemini-3.5-flash', [
        ask,
        turn,
        responses({ name: 'click', id: 'fr-5', response: { error: 'Not executed.' }, screenshot: false }),
      ]);
      await accepted('gemini-3.5-flash', [
        ask,
        turn,
        responses({ name: 'click', id: 'fr-5', response: { safety_acknowledgement: 'true' } }),
      ]);
    });
  });

  describe('the history', () => {
    it('gives thought signatures back unchanged', async () => {
      const turn = await issue('gemini-3.5-flash', [
        { name: 'take_screenshot', args: {}, id: 'fr-6', thoughtSignature: 'U0lHLWZyNg==' },
      ]);
      const answer = responses({ name: 'take_screenshot', id: 'fr-6' });
      const withSignature = (signature: string | undefined): Content => ({
        role: 'model',
        parts: [
          {
            functionCall: { name: 'take_screenshot', args: {}, id: 'fr-6' },
            ...(signature ? { thoughtSignature: signature } : {}),
          },
        ],
      });
      await refused(
        'gemini-3.5-flash',
        [ask, withSignature('T1RIRVI='), answer],
        'Corrupted thought signature.',
      );
      await refused(
        'gemini-3.5-flash',
        [ask, withSignature(undefined), answer],
        'Function call is missing a thought_signature in functionCall parts.',
      );
      await refused(
        'gemini-3.5-flash',
        [ask, withSignature('skip_thought_signature_validator'), answer],
        'Corrupted thought signature.',
      );
      await accepted('gemini-3.5-flash', [ask, turn, answer]);
    });

    it('has a signature on the first call of each step of the current turn for Gemini 3', async () => {
      const unsigned = modelCalls({ name: 'take_screenshot', id: 'made-up-1' });
      const answer = responses({ name: 'take_screenshot', id: 'made-up-1' });
      await refused('gemini-3.5-flash', [ask, unsigned, answer], 'missing a thought_signature');
      // The documented placeholder stands in for a signature the model never gave.
      await accepted('gemini-3.5-flash', [
        ask,
        modelCalls({ name: 'take_screenshot', id: 'made-up-1', sig: 'skip_thought_signature_validator' }),
        answer,
      ]);
      // Older turns, and models before Gemini 3, are not checked.
      await accepted('gemini-3.5-flash', [
        ask,
        unsigned,
        answer,
        modelCalls({ name: 'take_screenshot', id: 'made-up-2', sig: 'skip_thought_signature_validator' }),
        {
          role: 'user',
          parts: [...responses({ name: 'take_screenshot', id: 'made-up-2' }).parts, { text: 'Go on.' }],
        },
      ]);
      await accepted(
        'gemini-2.5-flash',
        [ask, modelCalls({ name: 'open_application', args: {} }), responses({ name: 'open_application' })],
        [{ functionDeclarations: [{ name: 'open_application' }] }],
      );
    });

    it("keeps the model's calls as it made them", async () => {
      const turn = await issue('gemini-3.5-flash', [
        { name: 'type', args: { text: 'hello' }, id: 'fr-7', thoughtSignature: 'U0lHLWZyNw==' },
      ]);
      const changed: Content = {
        role: 'model',
        parts: [{ ...turn.parts?.[0], functionCall: { name: 'type', args: { text: 'HELLO' }, id: 'fr-7' } }],
      };
      await refused(
        'gemini-3.5-flash',
        [ask, changed, responses({ name: 'type', id: 'fr-7' })],
        'The function call with id "fr-7" was changed',
      );
    });
  });
});
