import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Computer } from '../computer/computer.ts';
import { callMcpTool, mcpTools } from './mcp-tools.ts';

/**
 * The Model Context Protocol at /mcp (streamable HTTP, stateless: each request stands alone), so Claude
 * Desktop, Cursor or any MCP client can drive the desktop with the same tools and checks as the REST API.
 */
export function createMcpEndpoint(computer: Computer, version: string) {
  const tools = mcpTools();
  return async (request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> => {
    const server = new Server({ name: 'bytebotd', version }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
    server.setRequestHandler(CallToolRequestSchema, (call) =>
      callMcpTool(computer, call.params.name, call.params.arguments as Record<string, unknown> | undefined),
    );
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  };
}
