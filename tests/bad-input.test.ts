import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

interface Sent {
  status: number;
  body: { error?: { code: string; message: string; path?: Array<string | number> } };
}

describe('bad input gets a clear error and leaves the desktop alone', () => {
  let test: TestDesktop;

  beforeAll(async () => {
    test = await startTestDesktop({ session: 'none' });
  });

  afterAll(async () => {
    await test?.stop();
  });

  async function send(body: string, headers: Record<string, string> = {}): Promise<Sent> {
    const response = await fetch(`${test.bytebotd.url}/computer-use`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${test.bytebotd.token}`,
        ...headers,
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Sent['body'] };
  }

  const cases: Array<[string, string, number, string, Array<string | number> | undefined, RegExp]> = [
    [
      'unknown action',
      '{"action":"fly"}',
      400,
      'INVALID_REQUEST',
      ['action'],
      /action: expected one of move_mouse/,
    ],
    [
      'missing field',
      '{"action":"move_mouse"}',
      400,
      'INVALID_REQUEST',
      ['coordinates'],
      /coordinates: required/,
    ],
    [
      'wrong type',
      '{"action":"move_mouse","coordinates":{"x":"10","y":5}}',
      400,
      'INVALID_REQUEST',
      ['coordinates', 'x'],
      /expected a number, got string/,
    ],
    [
      'fraction',
      '{"action":"move_mouse","coordinates":{"x":10.5,"y":5}}',
      400,
      'INVALID_REQUEST',
      ['coordinates', 'x'],
      /integer/,
    ],
    [
      'negative',
      '{"action":"click_mouse","coordinates":{"x":-1,"y":5}}',
      400,
      'INVALID_REQUEST',
      ['coordinates', 'x'],
      />= 0/,
    ],
    [
      'off screen',
      '{"action":"click_mouse","coordinates":{"x":1280,"y":5}}',
      400,
      'OUT_OF_BOUNDS',
      ['coordinates', 'x'],
      /off the screen, expected 0 to 1279/,
    ],
    [
      'off screen path',
      '{"action":"drag_mouse","path":[{"x":1,"y":1},{"x":5,"y":960}]}',
      400,
      'OUT_OF_BOUNDS',
      ['path', 1, 'y'],
      /0 to 959/,
    ],
    [
      'unknown key',
      '{"action":"type_keys","keys":["Control_L","Hyperdrive"]}',
      400,
      'INVALID_REQUEST',
      ['keys', 1],
      /unknown key "Hyperdrive"/,
    ],
    [
      'bad button',
      '{"action":"click_mouse","button":"thumb"}',
      400,
      'INVALID_REQUEST',
      ['button'],
      /"left" or "right" or "middle"/,
    ],
    [
      'extra field',
      '{"action":"screenshot","colour":"red"}',
      400,
      'INVALID_REQUEST',
      undefined,
      /unknown field "colour"/,
    ],
    [
      'not base64',
      '{"action":"write_file","path":"x.txt","data":"%%%"}',
      400,
      'INVALID_REQUEST',
      ['data'],
      /base64/,
    ],
    [
      'empty text',
      '{"action":"type_text","text":""}',
      400,
      'INVALID_REQUEST',
      ['text'],
      /at least 1 characters/,
    ],
    ['long wait', '{"action":"wait","duration":3600000}', 400, 'INVALID_REQUEST', ['duration'], /<= 60000/],
    ['not an object', '[1,2,3]', 400, 'INVALID_REQUEST', undefined, /expected an object/],
    ['not JSON', '{"action":', 400, 'INVALID_JSON', undefined, /not valid JSON/],
    ['empty body', '', 400, 'INVALID_JSON', undefined, /empty body/],
  ];

  it.each(cases)('%s', async (_name, body, status, code, path, message) => {
    const before = await test.bytebotd.client.cursorPosition();
    const sent = await send(body);
    expect(sent.status).toBe(status);
    expect(sent.body.error?.code).toBe(code);
    expect(sent.body.error?.path).toEqual(path);
    expect(sent.body.error?.message).toMatch(message);
    expect(await test.bytebotd.client.cursorPosition()).toEqual(before);
  });

  it('refuses a body over the size limit with 413 and a non-JSON body with 415', async () => {
    const huge = JSON.stringify({ action: 'type_text', text: 'a'.repeat(50 * 1024 * 1024) });
    const tooLarge = await send(huge);
    expect([tooLarge.status, tooLarge.body.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const form = await send('action=screenshot', { 'content-type': 'application/x-www-form-urlencoded' });
    expect([form.status, form.body.error?.code, form.body.error?.path]).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      ['content-type'],
    ]);
  });

  it('leaves the screen unchanged after refused requests', async () => {
    const { client } = test.bytebotd;
    await client.moveMouse({ x: 100, y: 100 });
    const before = await client.screenshot();
    for (const [, body] of cases) await send(body);
    const after = await client.screenshot();
    expect(after.data.equals(before.data)).toBe(true);
    expect(await client.cursorPosition()).toEqual({ x: 100, y: 100 });
  });

  it('answers unknown routes and wrong methods with JSON errors', async () => {
    const headers = { authorization: `Bearer ${test.bytebotd.token}` };
    const missing = await fetch(`${test.bytebotd.url}/nowhere`, { headers });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Sent['body']).error?.code).toBe('NOT_FOUND');
    const wrongMethod = await fetch(`${test.bytebotd.url}/computer-use`, { headers });
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('serves an OpenAPI document derived from the protocol', async () => {
    const document = await test.bytebotd.client.openApi();
    expect(document.openapi).toBe('3.1.0');
    const schema = JSON.stringify((document.components as Record<string, unknown>).schemas);
    for (const action of [
      'move_mouse',
      'trace_mouse',
      'type_text',
      'paste_text',
      'read_file',
      'application',
    ]) {
      expect(schema).toContain(`"const":"${action}"`);
    }
  });
});
