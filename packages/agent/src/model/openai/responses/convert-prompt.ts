import type { ContentBlock, ImageBlock, ToolResultBlock, ToolUseBlock } from '@bytebot/protocol';
import type OpenAI from 'openai';
import type { FunctionTool, ModelMessage, ModelRequest } from '../../model-provider.ts';
import {
  type ComputerCallInput,
  isComputerCall,
  pendingSafetyChecksOf,
  splitComputerCallBlockId,
  wasCarriedOut,
} from './computer-call-item.ts';

type InputItem = OpenAI.Responses.ResponseInputItem;
type InputContent = OpenAI.Responses.ResponseInputContent;
type CreateParams = OpenAI.Responses.ResponseCreateParamsNonStreaming;

/**
 * The guide sends screenshots with `detail: "original"` (keeps every pixel, so the model's points are
 * the picture's pixels); the SDK's type of a computer screenshot has no `detail` field yet.
 */
type Screenshot = OpenAI.Responses.ResponseComputerToolCallOutputScreenshot & {
  detail: OpenAI.Responses.ImageDetail;
};

/**
 * Every computer_call_output must hold a screenshot, also for a call that did not run. When the
 * conversation has no screenshot left before it (all dropped to save context), this 1x1 picture stands in;
 * the words beside it say what happened.
 */
const placeholderScreenshot: ImageBlock = {
  type: 'image',
  source: {
    type: 'base64',
    media_type: 'image/png',
    data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==',
  },
};

function dataUrl(image: ImageBlock): string {
  return `data:${image.source.media_type};base64,${image.source.data}`;
}

function textOf(blocks: ToolResultBlock['content']): string {
  return blocks
    .flatMap((block) => (block.type === 'text' && block.text !== '' ? [block.text] : []))
    .join('\n');
}

function imagesOf(blocks: ToolResultBlock['content']): ImageBlock[] {
  return blocks.filter((block): block is ImageBlock => block.type === 'image');
}

function functionTool(tool: FunctionTool): OpenAI.Responses.FunctionTool {
  return {
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: { type: 'object', ...tool.inputSchema },
    // Strict mode wants every property required and no others allowed; our schemas have optional fields.
    strict: false,
  };
}

/** The calls of the conversation so far, by our block id, to answer each result the way its call needs. */
type Calls = Map<string, ToolUseBlock>;

/**
 * The model's turn as the items it came as: reasoning (only with its encrypted content, which is what
 * a stateless request replays; without ids, as OpenAI's Codex CLI sends them with store: false), text,
 * computer calls and function calls.
 */
function assistantItems(content: ContentBlock[], calls: Calls): InputItem[] {
  const items: InputItem[] = [];
  for (const block of content) {
    if (block.type === 'thinking') {
      if (block.signature === '') continue;
      items.push({
        type: 'reasoning',
        summary: block.thinking === '' ? [] : [{ type: 'summary_text', text: block.thinking }],
        encrypted_content: block.signature,
      } as unknown as InputItem);
    } else if (block.type === 'text') {
      if (block.text !== '') items.push({ role: 'assistant', content: block.text });
    } else if (block.type === 'tool_use') {
      calls.set(block.id, block);
      if (isComputerCall(block)) {
        const { callId, itemId } = splitComputerCallBlockId(block.id);
        const input = block.input as ComputerCallInput;
        const checks = pendingSafetyChecksOf(block);
        items.push({
          type: 'computer_call',
          ...(itemId ? { id: itemId } : {}),
          call_id: callId,
          status: 'completed',
          ...(input.actions ? { actions: input.actions } : { action: input.action }),
          // Never an empty list: the API refuses one on a replayed call.
          ...(checks.length > 0 ? { pending_safety_checks: checks } : {}),
        } as InputItem);
      } else {
        items.push({
          type: 'function_call',
          call_id: block.id,
          name: block.name,
          arguments: JSON.stringify(block.input),
        });
      }
    }
  }
  return items;
}

interface Walk {
  calls: Calls;
  /** The newest screenshot so far: what the screen showed when a call that did not run was answered. */
  newest: ImageBlock | undefined;
}

function computerOutput(call: ToolUseBlock, result: ToolResultBlock, walk: Walk): InputItem {
  const screenshot = imagesOf(result.content).at(-1) ?? walk.newest ?? placeholderScreenshot;
  const checks = pendingSafetyChecksOf(call);
  const output: Screenshot = {
    type: 'computer_screenshot',
    image_url: dataUrl(screenshot),
    detail: 'original',
  };
  return {
    type: 'computer_call_output',
    call_id: splitComputerCallBlockId(call.id).callId,
    output,
    // "You need to pass the safety checks back as acknowledged_safety_checks in the next request in order
    // to proceed": on the output of the call that ran, after a person confirmed it.
    ...(checks.length > 0 && wasCarriedOut(result) ? { acknowledged_safety_checks: checks } : {}),
  };
}

function functionOutput(call: ToolUseBlock, result: ToolResultBlock): InputItem {
  const text = textOf(result.content);
  const images = imagesOf(result.content);
  const words = result.is_error ? `Error: ${text || 'the tool failed'}` : text;
  if (images.length === 0) {
    return { type: 'function_call_output', call_id: call.id, output: words === '' ? '(no output)' : words };
  }
  // A function's output may hold pictures (opening an application answers with the screen).
  return {
    type: 'function_call_output',
    call_id: call.id,
    output: [
      ...(words === '' ? [] : [{ type: 'input_text' as const, text: words }]),
      ...images.map((image) => ({
        type: 'input_image' as const,
        image_url: dataUrl(image),
        detail: 'original' as const,
      })),
    ],
  };
}

/**
 * A user turn: first an output for each result (every call must be answered, and only by its output
 * item), then one user message with what the outputs cannot hold (the words of a computer call's result:
 * an error, or that it did not run) and what the person wrote.
 */
function userItems(content: ContentBlock[], walk: Walk): InputItem[] {
  const outputs: InputItem[] = [];
  const parts: InputContent[] = [];
  for (const block of content) {
    if (block.type !== 'tool_result') continue;
    const call = walk.calls.get(block.tool_use_id);
    const text = textOf(block.content);
    const images = imagesOf(block.content);
    if (!call) {
      // Its call was summarized away: an output without its call is refused, so the result goes as words.
      if (text !== '') parts.push({ type: 'input_text', text });
      parts.push(
        ...images.map((image) => ({
          type: 'input_image' as const,
          image_url: dataUrl(image),
          detail: 'original' as const,
        })),
      );
    } else if (isComputerCall(call)) {
      outputs.push(computerOutput(call, block, walk));
      if (text !== '') {
        const callId = splitComputerCallBlockId(call.id).callId;
        parts.push({ type: 'input_text', text: `Computer call ${callId}: ${text}` });
      }
    } else {
      outputs.push(functionOutput(call, block));
    }
    walk.newest = images.at(-1) ?? walk.newest;
  }
  for (const block of content) {
    if (block.type === 'text' && block.text !== '') parts.push({ type: 'input_text', text: block.text });
    if (block.type === 'image') {
      parts.push({ type: 'input_image', image_url: dataUrl(block), detail: 'auto' });
      walk.newest = block;
    }
  }
  return parts.length > 0 ? [...outputs, { role: 'user', content: parts }] : outputs;
}

export function convertMessages(messages: ModelMessage[]): InputItem[] {
  const walk: Walk = { calls: new Map(), newest: undefined };
  return messages.flatMap((message) =>
    message.role === 'assistant'
      ? assistantItems(message.content, walk.calls)
      : userItems(message.content, walk),
  );
}

/**
 * Our request as Responses API parameters: OpenAI's `computer` tool (no fields besides its type: "tools:
 * [{ type: "computer" }]") beside our function tools, and the whole conversation each time (stateless:
 * store: false, the reasoning kept as encrypted content and sent back).
 */
export function convertPrompt(request: ModelRequest, settings: { model: string }): CreateParams {
  return {
    model: settings.model,
    instructions: request.system,
    input: convertMessages(request.messages),
    tools: [{ type: 'computer' }, ...request.tools.map(functionTool)],
    store: false,
    include: ['reasoning.encrypted_content'],
    max_output_tokens: request.maxOutputTokens,
  };
}
