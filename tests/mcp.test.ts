import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchAsDesktopUser, waitForWindow } from './support/desktop-programs.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

describe('bytebotd as an MCP server at /mcp', () => {
  let test: TestDesktop;
  let client: Client;
  const stops: Array<() => void> = [];

  beforeAll(async () => {
    test = await startTestDesktop();
    client = new Client({ name: 'bytebot-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${test.bytebotd.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${test.bytebotd.token}` } },
    });
    await client.connect(transport);
  });

  afterAll(async () => {
    for (const stop of stops) stop();
    await client?.close();
    await test?.stop();
  });

  it('lists one tool per computer action', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const action of ['screenshot', 'click_mouse', 'type_text', 'type_keys', 'read_file', 'write_file']) {
      expect(names).toContain(action);
    }
    const click = tools.find((tool) => tool.name === 'click_mouse');
    expect(click?.inputSchema.properties).toHaveProperty('coordinates');
    expect(click?.inputSchema.properties).not.toHaveProperty('action');
  });

  it('returns a screenshot as an image content block', async () => {
    const result = await client.callTool({ name: 'screenshot', arguments: {} });
    const [image] = result.content as Array<{ type: string; data: string; mimeType: string }>;
    expect(image).toMatchObject({ type: 'image', mimeType: 'image/png' });
    const metadata = await sharp(Buffer.from(image?.data ?? '', 'base64')).metadata();
    expect([metadata.width, metadata.height]).toEqual([1280, 960]);
  });

  it('types text that arrives in a real window', async () => {
    const name = `mcp-${randomUUID()}.txt`;
    const written = await test.bytebotd.client.writeFile(name, '');
    stops.push(launchAsDesktopUser(test.desktop, 'mousepad', [written.path]));
    await waitForWindow(test.desktop, name);
    await client.callTool({ name: 'type_text', arguments: { text: 'typed over MCP ✓' } });
    await client.callTool({ name: 'type_keys', arguments: { keys: ['ctrl', 's'] } });
    let content = '';
    for (let attempt = 0; attempt < 50 && content !== 'typed over MCP ✓'; attempt += 1) {
      await test.bytebotd.client.wait(100);
      content = (await test.bytebotd.client.readFile(name)).content.toString('utf8');
    }
    expect(content).toBe('typed over MCP ✓');
  });

  it('answers bad input with a tool error, and refuses a client without the token', async () => {
    const bad = await client.callTool({
      name: 'click_mouse',
      arguments: { coordinates: { x: 'left', y: 1 } },
    });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/coordinates\.x: expected a number/);

    const response = await fetch(`${test.bytebotd.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
  });
});
