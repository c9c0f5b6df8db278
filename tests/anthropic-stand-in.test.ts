import Anthropic from '@anthropic-ai/sdk';
import { createAnthropic, type ModelRequest } from '@bytebot/agent';
import { notExecutedText } from '@bytebot/eval';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reply,
  type ScriptedAnthropicServer,
  startScriptedAnthropicServer,
} from './support/scripted-anthropic-server.ts';

/*
 * The Claude stand-in refuses what the real Messages API refuses (packages/eval/src/anthropic-rules.ts
 * cites the documentation of each rule). Each test sends, through the real SDK, a request that breaks one
 * rule and expects the API's error; the request the agent's adapter builds must pass.
 */

type Body = Record<string, unknown>;

const toolset = { type: 'computer_toolset_20260801' };
const betaTool = {
  type: 'computer_20250124',
  name: 'computer',
  display_width_px: 1280,
  display_height_px: 960,
};
const user = (text: string) => ({ role: 'user', content: [{ type: 'text', text }] });

async function png(width: number, height: number): Promise<string> {
  const image = await sharp({ create: { width, height, channels: 3, background: '#336699' } })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return image.toString('base64');
}

function image(data: string, mediaType = 'image/png') {
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data } };
}

describe("the Claude stand-in holds requests to the Messages API's documented rules", () => {
  let server: ScriptedAnthropicServer;
  let client: Anthropic;
  let screenshot: string;

  beforeAll(async () => {
    server = await startScriptedAnthropicServer();
    client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0 });
    screenshot = await png(1280, 960);
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Sends a request (the model answers "ok" when it passes) and gives back the API error, if any. */
  async function send(
    body: Body,
    betas?: string[],
  ): Promise<{ status: number; message: string } | 'accepted'> {
    server.play([reply.text('ok')]);
    try {
      await client.beta.messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 1024,
        ...body,
        ...(betas ? { betas } : {}),
      } as never);
      return 'accepted';
    } catch (error) {
      if (!(error instanceof Anthropic.APIError)) throw error;
      const detail = (error.error as { error?: { message?: string } } | undefined)?.error?.message ?? '';
      return { status: error.status ?? 0, message: detail };
    }
  }

  /** A turn of the toolset (calls this server never made, so no thinking is owed) and its results. */
  function toolsetTurn(results: Body[], calls = results.length) {
    const toolUses = Array.from({ length: calls }, (_, index) => ({
      type: 'tool_use',
      id: `toolu_${index}`,
      name: index === 0 ? 'left_click' : 'type',
      input: index === 0 ? { coordinate: [10, 10] } : { text: 'hi' },
      toolset_name: 'computer',
    }));
    return [user('Do it'), { role: 'assistant', content: toolUses }, { role: 'user', content: results }];
  }

  function result(id: string, content: Body[], extra: Body = {}) {
    return { type: 'tool_result', tool_use_id: id, content, toolset_name: 'computer', ...extra };
  }

  it('accepts a well-formed toolset request', async () => {
    const outcome = await send({
      tools: [toolset],
      messages: toolsetTurn([
        result('toolu_0', [{ type: 'text', text: 'Clicked.' }]),
        result('toolu_1', [image(screenshot)]),
      ]),
    });
    expect(outcome).toBe('accepted');
  });

  it("refuses the beta computer tool for Claude Sonnet 5.5 (the toolset's only model)", async () => {
    expect(
      await send({ tools: [{ ...betaTool, type: 'computer_20251124' }], messages: [user('hi')] }, [
        'computer-use-2025-11-24',
      ]),
    ).toEqual({
      status: 400,
      message: "'claude-sonnet-5-5' does not support tool types: computer_20251124.",
    });
  });

  it('refuses the toolset for a model that takes only the beta tool', async () => {
    const outcome = await send({ model: 'claude-haiku-4-5', tools: [toolset], messages: [user('hi')] });
    expect(outcome).toMatchObject({
      status: 400,
      message: expect.stringContaining('computer_toolset_20260801'),
    });
  });

  it('refuses a beta tool without its beta header, and accepts it with the header', async () => {
    const request = { model: 'claude-haiku-4-5', tools: [betaTool], messages: [user('hi')] };
    expect(await send(request)).toMatchObject({
      status: 400,
      message: expect.stringContaining('computer-use-2025-01-24'),
    });
    expect(await send(request, ['computer-use-2025-01-24'])).toBe('accepted');
  });

  it('refuses display fields, a name or an unknown member on the toolset entry', async () => {
    for (const entry of [
      { ...toolset, display_width_px: 1280 },
      { ...toolset, name: 'computer' },
      { ...toolset, enable_zoom: true },
      { ...toolset, configs: { teleport: { enabled: true } } },
    ]) {
      expect(await send({ tools: [entry], messages: [user('hi')] })).toMatchObject({
        status: 400,
        message: expect.stringContaining('Extra inputs are not permitted'),
      });
    }
    expect(
      await send({ tools: [{ ...toolset, configs: { zoom: { enabled: false } } }], messages: [user('hi')] }),
    ).toBe('accepted');
  });

  it('answers 404 for a model the API does not have', async () => {
    expect(await send({ model: 'claude-imaginary-9', messages: [user('hi')] })).toMatchObject({
      status: 404,
    });
    // Past its end of life (2026-11-30), Sonnet 4.5 is no longer served.
    expect(await send({ model: 'claude-sonnet-4-5-20250929', messages: [user('hi')] })).toMatchObject({
      status: 404,
    });
  });

  it('refuses a tool call left without its result', async () => {
    const messages = toolsetTurn([result('toolu_0', [{ type: 'text', text: 'Clicked.' }])], 2);
    expect(await send({ tools: [toolset], messages })).toMatchObject({
      status: 400,
      message: expect.stringContaining('without `tool_result` blocks immediately after: toolu_1'),
    });
  });

  it('refuses text before the tool results of a turn', async () => {
    const [opening, calls] = toolsetTurn([], 1);
    const answer = {
      role: 'user',
      content: [{ type: 'text', text: 'note' }, result('toolu_0', [image(screenshot)])],
    };
    expect(await send({ tools: [toolset], messages: [opening, calls, answer] })).toMatchObject({
      status: 400,
      message: expect.stringContaining('must come first'),
    });
  });

  it("refuses a member's result without toolset_name, or with another", async () => {
    for (const toolsetName of [undefined, 'browser']) {
      const messages = toolsetTurn([
        {
          type: 'tool_result',
          tool_use_id: 'toolu_0',
          content: [image(screenshot)],
          toolset_name: toolsetName,
        },
      ]);
      expect(await send({ tools: [toolset], messages })).toMatchObject({
        status: 400,
        message: expect.stringContaining('toolset_name'),
      });
    }
  });

  it('refuses an error result holding an image, or nothing', async () => {
    for (const content of [[image(screenshot)], []]) {
      const messages = toolsetTurn([result('toolu_0', content, { is_error: true })]);
      expect(await send({ tools: [toolset], messages })).toMatchObject({ status: 400 });
    }
  });

  it('refuses a batch whose actions after a failed one are not answered with the halt text', async () => {
    const failed = result('toolu_0', [{ type: 'text', text: 'OUT_OF_BOUNDS: off the screen' }], {
      is_error: true,
    });
    const ranAnyway = result('toolu_1', [image(screenshot)]);
    expect(await send({ tools: [toolset], messages: toolsetTurn([failed, ranAnyway]) })).toMatchObject({
      status: 400,
      message: expect.stringContaining(notExecutedText),
    });
    const halted = result('toolu_1', [{ type: 'text', text: notExecutedText }], { is_error: true });
    expect(await send({ tools: [toolset], messages: toolsetTurn([failed, halted]) })).toBe('accepted');
  });

  it('refuses empty and whitespace-only text blocks', async () => {
    for (const text of ['', '  \n ']) {
      const messages = [user('hi'), { role: 'assistant', content: [{ type: 'text', text }] }, user('go on')];
      expect(await send({ messages })).toMatchObject({
        status: 400,
        message: expect.stringContaining('non-whitespace text'),
      });
    }
  });

  it('refuses thinking blocks that were changed or left out of the last tool-use turn', async () => {
    // A real turn of the stand-in's, so its thinking is signed.
    server.play([reply.computer({ action: 'left_click', coordinate: [10, 10] })]);
    const answer = await client.beta.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 1024,
      tools: [toolset],
      messages: [user('Click')],
    } as never);
    const content = answer.content as unknown as Body[];
    expect(content[0]).toMatchObject({ type: 'thinking' });
    const toolUse = content.find((block) => block.type === 'tool_use') as Body;
    const answered = { role: 'user', content: [result(String(toolUse.id), [image(screenshot)])] };
    const withContent = (blocks: Body[]) => [user('Click'), { role: 'assistant', content: blocks }, answered];
    expect(await send({ tools: [toolset], messages: withContent(content) })).toBe('accepted');
    const changed = content.map((block) =>
      block.type === 'thinking' ? { ...block, thinking: 'edited' } : block,
    );
    expect(await send({ tools: [toolset], messages: withContent(changed) })).toMatchObject({
      status: 400,
      message: expect.stringContaining('signature'),
    });
    const dropped = content.filter((block) => block.type !== 'thinking');
    expect(await send({ tools: [toolset], messages: withContent(dropped) })).toMatchObject({
      status: 400,
      message: expect.stringContaining('thinking blocks'),
    });
  });

  it('refuses a replayed member call without its toolset_name', async () => {
    server.play([reply.computer({ action: 'screenshot' })]);
    const answer = await client.beta.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 1024,
      tools: [toolset],
      messages: [user('Look')],
    } as never);
    const content = (answer.content as unknown as Body[]).map((block) =>
      block.type === 'tool_use' ? { ...block, toolset_name: undefined } : block,
    );
    const toolUse = content.find((block) => block.type === 'tool_use') as Body;
    const messages = [
      user('Look'),
      { role: 'assistant', content },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: [image(screenshot)] }],
      },
    ];
    expect(await send({ tools: [toolset], messages })).toMatchObject({
      status: 400,
      message: expect.stringContaining('must carry toolset_name'),
    });
  });

  it("refuses a toolset screenshot over the model's image limit instead of downscaling it", async () => {
    const large = await png(2600, 1400);
    const messages = toolsetTurn([result('toolu_0', [image(large)])], 1);
    expect(await send({ tools: [toolset], messages })).toMatchObject({
      status: 400,
      message: expect.stringContaining('image_dimensions_too_large'),
    });
    // Within 2576 px but past 4784 tiles of 28 px.
    const wide = await png(2576, 1600);
    expect(
      await send({ tools: [toolset], messages: toolsetTurn([result('toolu_0', [image(wide)])], 1) }),
    ).toMatchObject({
      status: 400,
      message: expect.stringContaining('image_dimensions_too_large'),
    });
  });

  it('holds every image to 2000 px a side once a request carries more than 20', async () => {
    const small = await png(64, 48);
    const big = await png(2100, 1000);
    const content = [
      ...Array.from({ length: 20 }, () => image(small)),
      image(big),
      { type: 'text', text: 'see' },
    ];
    expect(await send({ messages: [{ role: 'user', content }] })).toMatchObject({
      status: 400,
      message: expect.stringContaining('2000 pixels'),
    });
    expect(
      await send({ messages: [{ role: 'user', content: [image(big), { type: 'text', text: 'see' }] }] }),
    ).toBe('accepted');
  });

  it('refuses an image whose bytes are not its media type', async () => {
    const messages = [
      { role: 'user', content: [image(screenshot, 'image/jpeg'), { type: 'text', text: 'see' }] },
    ];
    expect(await send({ messages })).toMatchObject({
      status: 400,
      message: expect.stringContaining('media type'),
    });
  });

  it('refuses more than four cache breakpoints', async () => {
    const marked = (text: string) => ({ type: 'text', text, cache_control: { type: 'ephemeral' } });
    const messages = [
      { role: 'user', content: [marked('a'), marked('b'), marked('c'), marked('d'), marked('e')] },
    ];
    expect(await send({ messages })).toMatchObject({
      status: 400,
      message: expect.stringContaining('maximum of 4'),
    });
  });

  it('refuses a request without max_tokens', async () => {
    server.play([reply.text('ok')]);
    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'claude-sonnet-5-5', messages: [user('hi')] }),
    });
    expect(response.status).toBe(400);
  });

  it("passes the agent's own requests: the toolset, kept thinking, no blank text, the halt text", async () => {
    const provider = createAnthropic({
      apiKey: 'sk-ant-test',
      baseUrl: server.url,
      model: 'claude-sonnet-5-5',
      maxRetries: 0,
    });
    server.play([
      reply.batch([
        { action: 'left_click', coordinate: [5, 5] },
        { action: 'type', text: 'x' },
      ]),
    ]);
    const request: ModelRequest = {
      system: 'You are Bytebot.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Click and type' }] }],
      tools: [],
      screen: { width: 1280, height: 960 },
      maxOutputTokens: 4096,
    };
    const first = await provider.generate(request);
    const [click, type] = first.toolCalls;
    expect(first.toolCalls.map((call) => call.kind)).toEqual(['computer', 'computer']);
    server.play([reply.text('Done.')]);
    const second = await provider.generate({
      ...request,
      messages: [
        ...request.messages,
        // A blank text block stored by an earlier run: left out, or the API would refuse it.
        { role: 'assistant', content: [...first.content, { type: 'text', text: ' ' }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: String(click?.id),
              content: [{ type: 'text', text: 'OUT_OF_BOUNDS: off the screen' }],
              is_error: true,
              toolset_name: 'computer',
            },
            {
              type: 'tool_result',
              tool_use_id: String(type?.id),
              content: [{ type: 'text', text: notExecutedText }],
              is_error: true,
              toolset_name: 'computer',
            },
          ],
        },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'Done.' }]);
  });
});
