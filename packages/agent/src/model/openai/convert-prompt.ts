import type { ContentBlock, ImageBlock, ToolResultBlock, ToolUseBlock } from '@bytebot/protocol';
import type OpenAI from 'openai';
import { computerFunctionTools } from '../computer-function-tools.ts';
import type { FunctionTool, ModelMessage, ModelRequest } from '../model-provider.ts';

type MessageParam = OpenAI.Chat.ChatCompletionMessageParam;
type ContentPart = OpenAI.Chat.ChatCompletionContentPart;
type FunctionToolParam = OpenAI.Chat.ChatCompletionFunctionTool;
type CreateParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

/** The text a tool message carries when the result was only a screenshot (it follows in a user message). */
export const screenshotFollows = 'The screenshot after this action follows.';

function imagePart(image: ImageBlock): ContentPart {
  return {
    type: 'image_url',
    image_url: { url: `data:${image.source.media_type};base64,${image.source.data}` },
  };
}

function functionTool(tool: FunctionTool): FunctionToolParam {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: { type: 'object', ...tool.inputSchema },
    },
  };
}

function textOf(blocks: ContentBlock[]): string {
  return blocks
    .flatMap((block) => (block.type === 'text' && block.text !== '' ? [block.text] : []))
    .join('\n\n');
}

/** Only the id, name and input the model sent: our `summary` on a stored tool_use stays ours. */
function assistantMessage(content: ContentBlock[]): MessageParam {
  const calls = content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
  const text = textOf(content);
  return {
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : text,
    ...(calls.length > 0
      ? {
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: JSON.stringify(call.input) },
          })),
        }
      : {}),
  };
}

function toolMessage(result: ToolResultBlock): MessageParam {
  const text = textOf(result.content);
  const hasImage = result.content.some((part) => part.type === 'image');
  const content = text !== '' ? text : hasImage ? screenshotFollows : '(no output)';
  return {
    role: 'tool',
    tool_call_id: result.tool_use_id,
    content: result.is_error ? `Error: ${content}` : content,
  };
}

/**
 * A user turn: its tool results first (mergeTurns puts them there), each as a `tool` message, then at
 * most one `user` message with the screenshots of those results and the person's own text and images.
 *
 * Chat Completions `tool` messages carry text only, so a screenshot cannot travel inside the result it
 * belongs to; and the `tool` messages must come right after the assistant message whose tool_calls they
 * answer, all of them, before any other message. So the screenshots wait until every tool message of the
 * turn is out, then go together in ONE user message (one, not one per result: several user messages in a
 * row upset the chat templates of some local servers), each introduced by the call it came from.
 */
function userMessages(content: ContentBlock[], callNames: ReadonlyMap<string, string>): MessageParam[] {
  const messages: MessageParam[] = [];
  const parts: ContentPart[] = [];
  for (const block of content) {
    if (block.type !== 'tool_result') continue;
    messages.push(toolMessage(block));
    const images = block.content.filter((part): part is ImageBlock => part.type === 'image');
    if (images.length === 0) continue;
    const name = callNames.get(block.tool_use_id) ?? 'the action';
    parts.push({ type: 'text', text: `The screenshot after ${name} (call ${block.tool_use_id}):` });
    parts.push(...images.map(imagePart));
  }
  for (const block of content) {
    if (block.type === 'text' && block.text !== '') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image') parts.push(imagePart(block));
  }
  if (parts.length > 0) {
    // Plain text as a string: the form every OpenAI-compatible server understands.
    const textOnly = parts.every((part) => part.type === 'text');
    messages.push({
      role: 'user',
      content: textOnly ? parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n\n') : parts,
    });
  }
  return messages;
}

export function convertMessages(system: string, messages: ModelMessage[]): MessageParam[] {
  const converted: MessageParam[] = [{ role: 'system', content: system }];
  const callNames = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'assistant') {
      for (const block of message.content) if (block.type === 'tool_use') callNames.set(block.id, block.name);
      converted.push(assistantMessage(message.content));
    } else {
      converted.push(...userMessages(message.content, callNames));
    }
  }
  return converted;
}

export interface PromptSettings {
  model: string;
  provider: string;
}

/**
 * Our request as Chat Completions parameters: the system prompt as a `system` message (OpenAI maps it to
 * `developer` for its reasoning models, and local servers know only `system`), our computer actions and
 * tools as function tools.
 */
export function convertPrompt(request: ModelRequest, settings: PromptSettings): CreateParams {
  return {
    model: settings.model,
    messages: convertMessages(request.system, request.messages),
    tools: [...computerFunctionTools, ...request.tools].map(functionTool),
    // OpenAI's reasoning models refuse max_tokens; local servers know max_tokens best (older ones only it).
    ...(settings.provider === 'openai'
      ? { max_completion_tokens: request.maxOutputTokens }
      : { max_tokens: request.maxOutputTokens }),
  };
}
