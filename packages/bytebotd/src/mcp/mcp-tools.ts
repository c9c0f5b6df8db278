import {
  type ActionName,
  actionNames,
  actionToolSchema,
  computerActionSchema,
  describeValidationIssues,
  type SettledScreenshotResult,
} from '@bytebot/protocol';
import { BytebotdError } from '../bytebotd-error.ts';
import { Computer } from '../computer/computer.ts';

export interface McpTool {
  name: ActionName;
  description: string;
  inputSchema: { type: 'object'; [field: string]: unknown };
}

type McpContent = { type: 'text'; text: string } | { type: 'image'; data: string; mimeType: string };

/** One MCP tool per computer action, its input schema the protocol's, without the `action` field. */
export function mcpTools(): McpTool[] {
  return actionNames.map((name) => ({ name, ...actionToolSchema(name) }));
}

/**
 * Runs one tool call as the REST endpoint would run the action: the same validation, the same deadline,
 * the same error messages. Errors become tool errors the calling model can read, not protocol failures.
 */
export async function callMcpTool(
  computer: Computer,
  name: string,
  input: Record<string, unknown> | undefined,
): Promise<{ content: McpContent[]; isError?: boolean }> {
  const candidate = { ...(input ?? {}), action: name };
  const parsed = computerActionSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      content: [{ type: 'text', text: describeValidationIssues(parsed.error.issues, candidate).message }],
      isError: true,
    };
  }
  const action = parsed.data;
  const deadline = AbortSignal.timeout(Computer.deadlineFor(action));
  try {
    const result = (await computer.execute(action as never, deadline)) as Record<string, unknown>;
    if (action.action === 'screenshot' || action.action === 'zoom') {
      const image = result as { image: string; mediaType: string };
      return { content: [{ type: 'image', data: image.image, mimeType: image.mediaType }] };
    }
    // The screenshot asked for with screenshotAfter comes as an image block after the result's text, which
    // keeps what the image block cannot say (settled, waitedMs, the size).
    const { screenshot, ...rest } = result as { screenshot?: SettledScreenshotResult };
    if (!screenshot) return { content: [{ type: 'text', text: JSON.stringify(result) }] };
    const { image, ...about } = screenshot;
    return {
      content: [
        { type: 'text', text: JSON.stringify({ ...rest, screenshot: about }) },
        { type: 'image', data: image, mimeType: screenshot.mediaType },
      ],
    };
  } catch (error) {
    if (error instanceof BytebotdError)
      return { content: [{ type: 'text', text: `${error.code}: ${error.message}` }], isError: true };
    if (deadline.aborted)
      return { content: [{ type: 'text', text: `TIMEOUT: ${name} did not finish in time` }], isError: true };
    throw error;
  }
}
