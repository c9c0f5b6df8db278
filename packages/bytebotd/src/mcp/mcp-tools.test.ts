import { computerActionSchema } from '@bytebot/protocol';
import { describe, expect, it } from 'vitest';
import { Computer, type ComputerBackends } from '../computer/computer.ts';
import type { EncodeOptions, RawFrame, Region } from '../computer/raw-input.ts';
import { callMcpTool, mcpTools } from './mcp-tools.ts';

/** A Computer over a still 100x80 screen whose "encoding" says what it was asked to encode. */
async function fakeComputer() {
  const grabs: Array<Region | undefined> = [];
  const backends = {
    mouse: { move: async () => undefined, position: async () => ({ x: 1, y: 2 }) },
    screen: {
      size: async () => ({ width: 100, height: 80 }),
      grab: async (region?: Region): Promise<RawFrame> => {
        grabs.push(region);
        const width = region?.width ?? 100;
        const height = region?.height ?? 80;
        return { data: Buffer.alloc(width * height * 4), width, height };
      },
      encode: async (frame: RawFrame, options: EncodeOptions) => ({
        data: Buffer.from(JSON.stringify({ ...options, frame: [frame.width, frame.height] })),
        mediaType: `image/${options.format}` as const,
        width: options.width ?? frame.width,
        height: options.height ?? frame.height,
      }),
    },
  } as unknown as ComputerBackends;
  return { computer: await Computer.create(backends), grabs };
}

function decoded(data: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as Record<string, unknown>;
}

describe('MCP tools', () => {
  it('offers zoom, and screenshotAfter on the actions that take it', () => {
    const tools = new Map(mcpTools().map((tool) => [tool.name, tool]));
    expect(tools.get('zoom')?.inputSchema.properties).toHaveProperty('region');
    expect(tools.get('click_mouse')?.inputSchema.properties).toHaveProperty('screenshotAfter');
    expect(tools.get('screenshot')?.inputSchema.properties).not.toHaveProperty('screenshotAfter');
  });

  it('returns a zoomed region as an image, grabbed alone and enlarged by nearest neighbour', async () => {
    const { computer, grabs } = await fakeComputer();
    const region = { x: 90, y: 70, width: 10, height: 10 };
    const result = await callMcpTool(computer, 'zoom', { region, scale: 2.5, format: 'webp' });
    expect(result.isError).toBeUndefined();
    const [image] = result.content as Array<{ type: string; data: string; mimeType: string }>;
    expect(image).toMatchObject({ type: 'image', mimeType: 'image/webp' });
    expect(decoded(image?.data ?? '')).toMatchObject({
      width: 25,
      height: 25,
      kernel: 'nearest',
      frame: [10, 10],
    });
    expect(grabs).toEqual([region]);
  });

  it('refuses a zoom region that leaves the screen, naming the side', async () => {
    const { computer, grabs } = await fakeComputer();
    const wide = await callMcpTool(computer, 'zoom', { region: { x: 90, y: 0, width: 11, height: 10 } });
    expect(wide).toMatchObject({ isError: true });
    expect(JSON.stringify(wide.content)).toMatch(/OUT_OF_BOUNDS: region\.width: 11 from x 90 .* at most 10/);
    const low = await callMcpTool(computer, 'zoom', { region: { x: 0, y: 80, width: 1, height: 1 } });
    expect(JSON.stringify(low.content)).toMatch(/region\.y: 80 is off the screen, expected 0 to 79/);
    expect(grabs).toEqual([]);
  });

  it('returns the screenshot after an action as an image block after the result', async () => {
    const { computer } = await fakeComputer();
    const result = await callMcpTool(computer, 'move_mouse', {
      coordinates: { x: 5, y: 5 },
      screenshotAfter: { format: 'jpeg', width: 50, quietMs: 0 },
    });
    const [text, image] = result.content as Array<{ type: string; text?: string; data?: string }>;
    expect(JSON.parse(text?.text ?? '')).toEqual({
      success: true,
      screenshot: { mediaType: 'image/jpeg', width: 50, height: 80, settled: true, waitedMs: 0 },
    });
    expect(image).toMatchObject({ type: 'image', mimeType: 'image/jpeg' });
    expect(decoded(image?.data ?? '')).toMatchObject({ format: 'jpeg', width: 50, frame: [100, 80] });
  });
});

describe('Computer deadlines', () => {
  it('include the wait for a still screen', () => {
    const move = computerActionSchema.parse({ action: 'move_mouse', coordinates: { x: 1, y: 1 } });
    const moveAndLook = computerActionSchema.parse({
      action: 'move_mouse',
      coordinates: { x: 1, y: 1 },
      screenshotAfter: { maxWaitMs: 8000 },
    });
    expect(Computer.deadlineFor(moveAndLook) - Computer.deadlineFor(move)).toBeGreaterThan(8000);
  });
});
