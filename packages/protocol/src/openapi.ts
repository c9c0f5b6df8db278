import { z } from 'zod';
import { computerActionSchema } from './actions.schema.ts';
import { errorBodySchema } from './errors.ts';
import { healthSchema } from './health.schema.ts';
import { actionResultSchemas } from './results.schema.ts';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

/** The OpenAPI 3.1 document bytebotd serves at /openapi.json, derived from the protocol schemas. */
export function bytebotdOpenApiDocument(version: string): Record<string, unknown> {
  const resultSchemas = [...new Set(Object.values(actionResultSchemas))].map((schema) =>
    jsonSchema(schema, 'output'),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'bytebotd computer-use API',
      version,
      description:
        'Drives a Linux desktop: one POST per mouse, keyboard, screen or file action. ' +
        'Every endpoint except /health needs "Authorization: Bearer <token>".',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        ComputerAction: jsonSchema(computerActionSchema, 'input'),
        ActionResult: { oneOf: resultSchemas },
        Error: jsonSchema(errorBodySchema, 'output'),
        Health: jsonSchema(healthSchema, 'output'),
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/computer-use': {
        post: {
          operationId: 'computerUse',
          summary: 'Carry out one computer action',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ComputerAction' } } },
          },
          responses: {
            '200': {
              description: 'The action was carried out; the body depends on the action.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ActionResult' } } },
            },
            '400': errorResponse('The request is invalid; nothing was done to the desktop.'),
            '401': errorResponse('Missing or wrong bearer token.'),
            '403': errorResponse("A file path outside the desktop user's home."),
            '404': errorResponse('The file or application does not exist.'),
            '408': errorResponse('The action did not finish before its deadline.'),
            '413': errorResponse('The body or file is larger than the limit.'),
            '415': errorResponse('The body is not JSON.'),
            '503': errorResponse('The display or input backend is not ready.'),
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Whether the display and input backend are ready',
          security: [],
          responses: {
            '200': {
              description: 'Ready.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
            },
            '503': {
              description: 'Not ready; the body says what is missing.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1' } },
        },
      },
      '/live-view': {
        get: {
          operationId: 'liveView',
          summary: "What the noVNC page needs: the websocket's path and the VNC server's password",
          responses: {
            '200': { description: '{ websocket, password }' },
            '401': errorResponse('Missing or wrong bearer token.'),
          },
        },
      },
      '/mcp': {
        post: {
          operationId: 'mcp',
          summary: 'The Model Context Protocol (streamable HTTP, stateless): one tool per computer action',
          responses: {
            '200': { description: 'A JSON-RPC answer' },
            '401': errorResponse('Missing or wrong bearer token.'),
          },
        },
      },
    },
  };
}
