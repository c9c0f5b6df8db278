import type { BytebotdClient } from '@bytebot/client';
import type { z } from 'zod';

/** What a custom tool's handler gets beside its input. */
export interface CustomToolContext {
  /** The desktop this task runs on, through bytebotd (screenshots, input, files in the user's home). */
  desktop: BytebotdClient;
  taskId: string;
  /**
   * Aborts when the task is cancelled or a person takes control: pass it to every desktop call (`{ signal }`),
   * so bytebotd stops the action at once.
   */
  signal: AbortSignal;
}

/** What a handler may answer: text for the model, or text with a picture. */
export type CustomToolResult =
  | string
  | { text?: string; image?: { data: Buffer; mediaType: 'image/png' | 'image/jpeg' | 'image/webp' } };

export interface CustomTool<Input = Record<string, unknown>> {
  /** Letters, digits, _ and -; must not clash with a built-in tool. */
  name: string;
  /** What the tool does and when to use it: the model reads this. */
  description: string;
  /** A zod object schema (validated before the handler runs) or a JSON Schema object (passed as is). */
  inputSchema: z.ZodType<Input> | Record<string, unknown>;
  handler(input: Input, context: CustomToolContext): Promise<CustomToolResult> | CustomToolResult;
}

/** Declares a custom tool; a file in BYTEBOT_TOOLS_DIR default-exports one (or an array of them). */
export function defineTool<Input>(tool: CustomTool<Input>): CustomTool<Input> {
  return tool;
}
