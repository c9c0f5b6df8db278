import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reply,
  type ScriptedOpenAIResponsesServer,
  type ScriptStep,
  startScriptedOpenAIResponsesServer,
} from './support/scripted-openai-responses-server.ts';

/*
 * The scripted OpenAI Responses server refuses what the documentation says OpenAI refuses (rules and
 * sources in support/openai-responses-rules.ts). Each rule gets a request that breaks it, sent through
 * the real SDK, and the SDK's APIError with OpenAI's status; the request that keeps them all is answered.
 */

type Body = Record<string, unknown>;
type Item = Record<string, unknown>;

/** A 1x1 PNG. */
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

/** Only the header of a 4000x3000 PNG (12 megapixels): the size is read from it. */
function pngHeader(width: number, height: number): string {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes[24] = 8;
  bytes[25] = 2;
  return bytes.toString('base64');
}

const screenshot = (data = png, mediaType = 'image/png') => ({
  type: 'computer_screenshot',
  image_url: `data:${mediaType};base64,${data}`,
  detail: 'original',
});

const ask: Item = { role: 'user', content: [{ type: 'input_text', text: 'Write a note' }] };

function request(input: Item[], extra: Body = {}): Body {
  return {
    model: 'gpt-5.5',
    tools: [{ type: 'computer' }],
    store: false,
    include: ['reasoning.encrypted_content'],
    input,
    ...extra,
  };
}

/** The response's items as a stateless client sends them back: reasoning by its encrypted content. */
function replayed(output: OpenAI.Responses.ResponseOutputItem[]): Item[] {
  return output.map((item) => {
    if (item.type === 'reasoning')
      return { type: 'reasoning', summary: [], encrypted_content: item.encrypted_content };
    if (item.type === 'computer_call') {
      const { pending_safety_checks: checks, ...rest } = item;
      return checks.length > 0 ? { ...rest, pending_safety_checks: checks } : rest;
    }
    return item as unknown as Item;
  });
}

describe('the scripted OpenAI Responses server enforces the documented rules', () => {
  let server: ScriptedOpenAIResponsesServer;
  let client: OpenAI;

  beforeAll(async () => {
    server = await startScriptedOpenAIResponsesServer();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await server?.close();
  });

  const send = (body: Body) =>
    client.responses.create(body as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming);

  async function refused(body: Body, message: RegExp, status = 400): Promise<void> {
    const before = server.requests.length;
    const error = await send(body).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, `expected ${status} ${message}`).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status, error: { type: 'invalid_request_error' } });
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(message);
    // A refused request plays no step of the script.
    expect(server.requests.length).toBe(before);
  }

  /** A response with one computer_call, and the valid request that answers it. */
  async function turn(
    step: ScriptStep,
    output: (callId: string) => Item = (callId) => ({
      type: 'computer_call_output',
      call_id: callId,
      output: screenshot(),
    }),
  ) {
    server.play([step]);
    const response = await send(request([ask]));
    const call = response.output.find(
      (item) => item.type === 'computer_call' || item.type === 'function_call',
    );
    const callId = (call as { call_id: string }).call_id;
    const items = [ask, ...replayed(response.output), output(callId)];
    return { response, callId, items };
  }

  it('answers a request that keeps every rule', async () => {
    const { items } = await turn(reply.computer([{ type: 'click', button: 'left', x: 1, y: 1 }]));
    server.play([reply.message('Done.')]);
    const answered = await send(request(items));
    expect(answered.output_text).toBe('Done.');
  });

  it('1: the computer tool entry has nothing but its type', async () => {
    await refused(
      request([ask], {
        tools: [{ type: 'computer', display_width: 1280, display_height: 960, environment: 'linux' }],
      }),
      /Unknown parameter: 'tools\[0\]\.display_width'/,
    );
  });

  it('2: the preview tool is not taken', async () => {
    await refused(
      request([ask], {
        tools: [
          { type: 'computer_use_preview', display_width: 1024, display_height: 768, environment: 'browser' },
        ],
      }),
      /computer_use_preview' tool is not supported/,
    );
  });

  it('3: the model must take the computer tool', async () => {
    await refused(
      request([ask], { model: 'gpt-4o' }),
      /Tool 'computer' is not supported with model 'gpt-4o'/,
    );
  });

  it('4: function tools have valid names, object schemas, and strict schemas only when they are strict', async () => {
    const tool = {
      type: 'function',
      name: 'set task status',
      parameters: { type: 'object', properties: {} },
      strict: false,
    };
    await refused(
      request([ask], { tools: [{ type: 'computer' }, tool] }),
      /tools\[1\]\.name': string does not match pattern/,
    );
    await refused(
      request([ask], {
        tools: [{ type: 'computer' }, { ...tool, name: 'a', parameters: { type: 'string' } }],
      }),
      /schema must be a JSON Schema of 'type: "object"'/,
    );
    const loose = {
      type: 'function',
      name: 'write_file',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string' }, content: { type: 'string' } },
        required: ['path'],
        additionalProperties: false,
      },
      strict: true,
    };
    await refused(request([ask], { tools: [{ type: 'computer' }, loose] }), /Missing 'content'/);
  });

  it('5: a stateless response cannot be continued by its id', async () => {
    await refused(
      request([ask], { previous_response_id: 'resp_123' }),
      /Previous response with id 'resp_123' not found/,
    );
  });

  it('6: a stateless request asks for the encrypted reasoning', async () => {
    await refused(request([ask], { include: [] }), /include: \['reasoning\.encrypted_content'\]/);
  });

  it('7: a reasoning item sent back without its encrypted content is not found (404)', async () => {
    const { items } = await turn(reply.computer([{ type: 'wait' }]));
    const stripped = items.map((item) =>
      item.type === 'reasoning' ? { type: 'reasoning', id: 'rs_1', summary: [] } : item,
    );
    await refused(
      request(stripped),
      /Item with id 'rs_1' not found\. Items are not persisted when `store` is set to false/,
      404,
    );
  });

  it('8: encrypted reasoning comes back exactly as it came', async () => {
    const { items } = await turn(reply.computer([{ type: 'wait' }]));
    const forged = items.map((item) =>
      item.type === 'reasoning' ? { ...item, encrypted_content: 'gAAAAAforged' } : item,
    );
    await refused(request(forged), /could not be verified/);
  });

  it("9: a call comes back after its response's reasoning", async () => {
    const { items } = await turn(reply.computer([{ type: 'wait' }]));
    await refused(
      request(items.filter((item) => item.type !== 'reasoning')),
      /was provided without its required 'reasoning' item/,
    );
    const reasoning = items.find((item) => item.type === 'reasoning') as Item;
    const after = [...items.filter((item) => item.type !== 'reasoning'), reasoning];
    await refused(request(after), /without its required 'reasoning' item/);
  });

  it('10: a computer call comes back as it came: with its id, its actions, and no empty safety checks', async () => {
    const { items } = await turn(reply.computer([{ type: 'click', button: 'left', x: 5, y: 5 }]));
    const change = (edit: (call: Item) => Item) =>
      request(items.map((item) => (item.type === 'computer_call' ? edit(item) : item)));
    await refused(
      change(({ id: _id, ...call }) => call),
      /Missing required parameter: 'input\[2\]\.id'/,
    );
    await refused(
      change((call) => ({ ...call, pending_safety_checks: [] })),
      /pending_safety_checks': empty array/,
    );
    await refused(
      change((call) => ({ ...call, actions: [{ type: 'click', button: 'left', x: 6, y: 5 }] })),
      /does not match the computer call the model made/,
    );
  });

  it('11: every computer call gets exactly one output, after it', async () => {
    const { items, callId } = await turn(reply.computer([{ type: 'wait' }]));
    const output = items.at(-1) as Item;
    await refused(
      request(items.slice(0, -1)),
      new RegExp(`No tool output found for computer call ${callId}`),
    );
    await refused(
      request([...items, output]),
      new RegExp(`Duplicate tool output for computer call ${callId}`),
    );
    await refused(
      request([ask, output, ...items.slice(1, -1)]),
      new RegExp(`No tool call found for computer call output with call_id ${callId}`),
    );
  });

  it('12: every function call gets its output', async () => {
    server.play([reply.function('open_application', { application: 'text_editor' })]);
    const response = await send(request([ask]));
    const call = response.output.find(
      (item) => item.type === 'function_call',
    ) as OpenAI.Responses.ResponseFunctionToolCall;
    await refused(
      request([ask, ...replayed(response.output)]),
      new RegExp(`No tool output found for function call ${call.call_id}`),
    );
    await refused(
      request([
        ask,
        ...replayed(response.output),
        { type: 'computer_call_output', call_id: call.call_id, output: screenshot() },
      ]),
      /No tool call found for computer call output/,
    );
  });

  it("13: a computer call's output is a computer_screenshot", async () => {
    const { items } = await turn(reply.computer([{ type: 'wait' }]));
    const withOutput = (output: unknown) =>
      request([...items.slice(0, -1), { ...(items.at(-1) as Item), output }]);
    await refused(
      withOutput({ type: 'input_image', image_url: `data:image/png;base64,${png}` }),
      /expected an object of type 'computer_screenshot'/,
    );
    await refused(
      withOutput({ type: 'computer_screenshot' }),
      /Missing required parameter: 'input\[3\]\.output\.image_url'/,
    );
    await refused(withOutput({ ...screenshot(), detail: 'ultra' }), /Invalid value: 'ultra'/);
  });

  it('14: screenshots are pictures of an accepted type, decodable, at most 10.24 megapixels', async () => {
    const { items } = await turn(reply.computer([{ type: 'wait' }]));
    const withImage = (data: string, mediaType?: string) =>
      request([...items.slice(0, -1), { ...(items.at(-1) as Item), output: screenshot(data, mediaType) }]);
    await refused(withImage(Buffer.from('not a picture').toString('base64')), /not a valid image\/png image/);
    await refused(withImage('%%%'), /base64 image data is not valid/);
    await refused(withImage(png, 'image/bmp'), /image type 'image\/bmp' is not supported/);
    await refused(withImage(pngHeader(4000, 3000)), /4000x3000, more than 10\.24M pixels/);
    // The same rules for pictures in messages.
    await refused(
      request([
        ...items,
        {
          role: 'user',
          content: [{ type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' }],
        },
      ]),
      /not a valid image\/png image/,
    );
  });

  it('15: the acknowledged safety checks are the pending ones of that call', async () => {
    const checks = [{ code: 'malicious_instructions', message: 'Please acknowledge this warning.' }];
    const { items } = await turn(reply.computer([{ type: 'wait' }], { safetyChecks: checks }), (callId) => ({
      type: 'computer_call_output',
      call_id: callId,
      output: screenshot(),
      acknowledged_safety_checks: [{ id: 'cu_sc_other', ...checks[0] }],
    }));
    await refused(request(items), /\[cu_sc_other\] are not the pending safety checks/);
  });

  it('16: a call with safety checks that ran is acknowledged; one held for a person is not', async () => {
    const checks = [{ code: 'sensitive_domain', message: 'Watch this one.' }];
    const ran = await turn(reply.computer([{ type: 'wait' }], { safetyChecks: checks }));
    await refused(
      request(ran.items),
      /has pending safety checks: pass them back as acknowledged_safety_checks/,
    );
    const acknowledged = ran.items.map((item) =>
      item.type === 'computer_call_output'
        ? {
            ...item,
            acknowledged_safety_checks: ran.response.output.flatMap((output) =>
              output.type === 'computer_call' ? output.pending_safety_checks : [],
            ),
          }
        : item,
    );
    server.play([reply.message('Done.')]);
    await expect(send(request(acknowledged))).resolves.toMatchObject({ output_text: 'Done.' });

    const held = await turn(reply.computer([{ type: 'wait' }], { safetyChecks: checks, held: true }));
    const heldAcknowledged = held.items.map((item) =>
      item.type === 'computer_call_output'
        ? {
            ...item,
            acknowledged_safety_checks: held.response.output.flatMap((output) =>
              output.type === 'computer_call' ? output.pending_safety_checks : [],
            ),
          }
        : item,
    );
    await refused(request(heldAcknowledged), /was held for a person and did not run/);
  });

  it('17: messages hold the parts of their role', async () => {
    await refused(
      request([ask, { role: 'assistant', content: [{ type: 'input_text', text: 'Hello' }] }, ask]),
      /Invalid value: 'input_text'\. Supported values are: 'output_text' and 'refusal'/,
    );
    await refused(
      request([{ role: 'user', content: [{ type: 'output_text', text: 'Hello' }] }]),
      /Invalid value: 'output_text'/,
    );
    await refused(request([{ role: 'robot', content: 'Hello' }]), /Invalid value: 'robot'/);
  });

  it('answers errors in OpenAI shape for the SDK to retry or give up on', async () => {
    server.play([reply.error(429, 'requests', 'Rate limit reached.', 'rate_limit_exceeded')]);
    await expect(send(request([ask]))).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(server.rejected.length).toBeGreaterThan(0);
  });
});
