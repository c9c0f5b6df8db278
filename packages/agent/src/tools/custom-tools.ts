import { readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigurationError } from '@bytebot/config';
import { describeValidationIssues, type ToolResultBlock } from '@bytebot/protocol';
import { z } from 'zod';
import type { FunctionTool } from '../model/model-provider.ts';
import type { CustomTool, CustomToolContext } from './define-tool.ts';

const toolName = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const loadable = new Set(['.ts', '.mts', '.js', '.mjs']);

function isZodSchema(schema: unknown): schema is z.ZodType {
  return schema instanceof z.ZodType;
}

/** The tools users add, each offered to the model beside ours and run by its own handler. */
export class CustomTools {
  private readonly byName = new Map<string, CustomTool>();

  constructor(tools: CustomTool[], reserved: ReadonlySet<string>) {
    for (const tool of tools) {
      if (!toolName.test(tool.name)) {
        throw new ConfigurationError(
          'BYTEBOT_TOOLS_DIR',
          `tool name "${tool.name}": expected letters, digits, _ or -`,
        );
      }
      if (reserved.has(tool.name) || this.byName.has(tool.name)) {
        throw new ConfigurationError('BYTEBOT_TOOLS_DIR', `tool name "${tool.name}" is already taken`);
      }
      this.byName.set(tool.name, tool as CustomTool);
    }
  }

  get definitions(): FunctionTool[] {
    return [...this.byName.values()].map((tool) => {
      const schema = isZodSchema(tool.inputSchema)
        ? (z.toJSONSchema(tool.inputSchema, { io: 'input' }) as Record<string, unknown>)
        : tool.inputSchema;
      const { $schema: _ignored, ...inputSchema } = schema;
      return { name: tool.name, description: tool.description, inputSchema };
    });
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Runs a call; what goes wrong in a handler goes back to the model as the tool's error. */
  async run(
    id: string,
    name: string,
    input: Record<string, unknown>,
    context: CustomToolContext,
  ): Promise<ToolResultBlock> {
    const tool = this.byName.get(name);
    const error = (text: string): ToolResultBlock => ({
      type: 'tool_result',
      tool_use_id: id,
      content: [{ type: 'text', text }],
      is_error: true,
    });
    if (!tool) return error(`unknown tool "${name}"`);
    let value: unknown = input;
    if (isZodSchema(tool.inputSchema)) {
      const parsed = tool.inputSchema.safeParse(input);
      if (!parsed.success)
        return error(`invalid input: ${describeValidationIssues(parsed.error.issues, input).message}`);
      value = parsed.data;
    }
    try {
      const result = await tool.handler(value as Record<string, unknown>, context);
      const answer = typeof result === 'string' ? { text: result } : result;
      return {
        type: 'tool_result',
        tool_use_id: id,
        content: [
          ...(answer.text !== undefined ? [{ type: 'text' as const, text: answer.text }] : []),
          ...(answer.image
            ? [
                {
                  type: 'image' as const,
                  source: {
                    type: 'base64' as const,
                    media_type: answer.image.mediaType,
                    data: answer.image.data.toString('base64'),
                  },
                },
              ]
            : []),
        ],
      };
    } catch (caught) {
      return error(`${name} failed: ${(caught as Error).message}`);
    }
  }
}

function toolsOf(exported: unknown, file: string): CustomTool[] {
  const candidates = Array.isArray(exported) ? exported : [exported];
  for (const candidate of candidates) {
    const tool = candidate as Partial<CustomTool> | undefined;
    if (
      !tool ||
      typeof tool.name !== 'string' ||
      typeof tool.handler !== 'function' ||
      typeof tool.description !== 'string' ||
      !tool.inputSchema
    ) {
      throw new ConfigurationError(
        'BYTEBOT_TOOLS_DIR',
        `${file}: expected a default export made with defineTool({ name, description, inputSchema, handler })`,
      );
    }
  }
  return candidates as CustomTool[];
}

/** Loads every tool file of the folder (its default export), in name order; none when unset. */
export async function loadCustomTools(folder: string | undefined): Promise<CustomTool[]> {
  if (!folder) return [];
  const root = resolve(folder);
  let names: string[];
  try {
    names = (await readdir(root))
      .filter((name) => loadable.has(extname(name)) && !name.endsWith('.d.ts'))
      .sort();
  } catch (error) {
    throw new ConfigurationError(
      'BYTEBOT_TOOLS_DIR',
      `cannot read the folder ${root}: ${(error as Error).message}`,
    );
  }
  const tools: CustomTool[] = [];
  for (const name of names) {
    const file = join(root, name);
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    tools.push(...toolsOf(module.default, file));
  }
  return tools;
}
