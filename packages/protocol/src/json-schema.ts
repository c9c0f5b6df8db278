import { z } from 'zod';
import { type ActionName, computerActionSchema, computerActionSchemas } from './actions.schema.ts';
import { actionResultSchemas } from './results.schema.ts';

export type JsonSchema = Record<string, unknown>;

/** JSON Schema of one action as a caller sends it (defaults make fields optional). */
export function actionJsonSchema(name: ActionName): JsonSchema {
  const schema = computerActionSchemas.find((candidate) => candidate.shape.action.value === name);
  if (!schema) throw new Error(`no schema for action ${name}`);
  return z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
}

/** JSON Schemas of every action, keyed by action name: model tool definitions start here. */
export function allActionJsonSchemas(): Record<ActionName, JsonSchema> {
  const entries = computerActionSchemas.map(
    (schema) => [schema.shape.action.value, actionJsonSchema(schema.shape.action.value)] as const,
  );
  return Object.fromEntries(entries) as Record<ActionName, JsonSchema>;
}

export function computerActionJsonSchema(): JsonSchema {
  return z.toJSONSchema(computerActionSchema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
}

export function actionResultJsonSchema(name: ActionName): JsonSchema {
  return z.toJSONSchema(actionResultSchemas[name], { io: 'output', target: 'draft-2020-12' }) as JsonSchema;
}

/**
 * One action as a tool: its description, and the JSON Schema of its fields without `action` (the tool's
 * name says which action it is). Model function tools and MCP tools are made from this.
 */
export function actionToolSchema(name: ActionName): {
  description: string;
  inputSchema: { type: 'object' } & JsonSchema;
} {
  const {
    $schema: _schema,
    description,
    properties,
    required,
    ...rest
  } = actionJsonSchema(name) as {
    $schema?: string;
    description?: string;
    properties: JsonSchema;
    required?: string[];
  };
  const { action: _action, ...fields } = properties;
  return {
    description: description ?? name,
    inputSchema: {
      ...rest,
      type: 'object',
      properties: fields,
      required: (required ?? []).filter((field) => field !== 'action'),
    },
  };
}
