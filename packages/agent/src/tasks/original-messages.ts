import {
  computerActionSchema,
  type GroupedMessages,
  type ImageBlock,
  type OriginalContentBlock,
  type OriginalMessage,
  type StoredContentBlock,
  type StoredImageBlock,
  type StoredToolResultBlock,
  type TextBlock,
  type ToolUseBlock,
} from '@bytebot/protocol';
import type { Message } from '../storage/index.ts';

type OriginalToolUse = Extract<OriginalContentBlock, { type: 'tool_use' }>;
/** A stored screenshot's bytes by its file name, or undefined when it is gone. */
export type ScreenshotReader = (file: string) => Promise<Buffer | undefined>;

/** Our function tools that the original agent had as computer actions, for a call that recorded none. */
const originalFunctionNames: Record<string, string> = {
  read_file: 'computer_read_file',
  write_file: 'computer_write_file',
  open_application: 'computer_application',
};

/**
 * A model's call as the original agent's tool calls: one `computer_<action>` per desktop action it was
 * carried out with (its result records them, in screen pixels, defaults filled in), whatever tool vocabulary
 * the model used (Claude's computer tool, OpenAI's, Gemini's, our function tools). A call that only looked
 * (a zero wait carrying the screenshot) is `computer_screenshot`. Other tools keep their names.
 */
function originalToolUses(block: ToolUseBlock, result: StoredToolResultBlock | undefined): OriginalToolUse[] {
  const actions = result?.actions ?? [];
  const [only] = actions;
  if (actions.length === 1 && only?.action === 'wait' && only.duration === 0 && !only.screenshotAfter) {
    return [{ type: 'tool_use', id: block.id, name: 'computer_screenshot', input: {} }];
  }
  if (actions.length > 0) {
    return actions.map((recorded, index) => {
      const parsed = computerActionSchema.safeParse(recorded);
      const {
        action,
        screenshotAfter: _screenshotAfter,
        ...input
      } = (parsed.success ? parsed.data : recorded) as Record<string, unknown>;
      return {
        type: 'tool_use',
        id: index === 0 ? block.id : `${block.id}_${index + 1}`,
        name: `computer_${String(action)}`,
        input,
      };
    });
  }
  return [
    {
      type: 'tool_use',
      id: block.id,
      name: originalFunctionNames[block.name] ?? block.name,
      input: block.input,
    },
  ];
}

/**
 * The original agent's message shapes from ours: roles USER / ASSISTANT, screenshots inline (read from the
 * screenshot store), tool calls named as the original names them, and no fields of ours (summaries, recorded
 * actions, durations). `context` holds the messages to find each call's result in (the page and the message
 * after it); a screenshot shown twice is read once.
 */
export async function toOriginalMessages(
  messages: Message[],
  context: Message[],
  readScreenshot: ScreenshotReader,
): Promise<OriginalMessage[]> {
  const results = new Map<string, StoredToolResultBlock>();
  for (const message of context) {
    for (const block of message.content)
      if (block.type === 'tool_result') results.set(block.tool_use_id, block);
  }
  const images = new Map<string, Promise<ImageBlock | TextBlock>>();
  const inline = (image: ImageBlock | StoredImageBlock): Promise<ImageBlock | TextBlock> => {
    if (image.source.type === 'base64') return Promise.resolve(image as ImageBlock);
    const { id, media_type } = image.source;
    let loaded = images.get(id);
    if (!loaded) {
      loaded = readScreenshot(id).then((bytes): ImageBlock | TextBlock =>
        bytes
          ? { type: 'image', source: { type: 'base64', media_type, data: bytes.toString('base64') } }
          : { type: 'text', text: '[a screenshot that is no longer stored]' },
      );
      images.set(id, loaded);
    }
    return loaded;
  };
  const convert = async (block: StoredContentBlock): Promise<OriginalContentBlock[]> => {
    switch (block.type) {
      case 'text':
        return [{ type: 'text', text: block.text }];
      case 'image':
        return [await inline(block)];
      case 'tool_use':
        return originalToolUses(block, results.get(block.id));
      case 'tool_result':
        return [
          {
            type: 'tool_result',
            tool_use_id: block.tool_use_id,
            content: await Promise.all(
              block.content.map((part) =>
                part.type === 'image'
                  ? inline(part)
                  : Promise.resolve({ type: 'text' as const, text: part.text }),
              ),
            ),
            ...(block.is_error !== undefined ? { is_error: block.is_error } : {}),
          },
        ];
      case 'thinking':
        return [{ type: 'thinking', thinking: block.thinking, signature: block.signature }];
      case 'redacted_thinking':
        return [{ type: 'redacted_thinking', data: block.data }];
    }
  };
  return Promise.all(
    messages.map(async (message) => ({
      id: message.id,
      taskId: message.taskId,
      role: message.role === 'user' ? ('USER' as const) : ('ASSISTANT' as const),
      content: (await Promise.all(message.content.map(convert))).flat(),
      createdAt: message.createdAt.toISOString(),
      updatedAt: message.updatedAt.toISOString(),
    })),
  );
}

/**
 * The original agent's display grouping (/messages/processed): a user message of tool results only is the
 * assistant's (it shows the screenshots of its steps), and back-to-back messages of one role form a group.
 */
export function groupForDisplay(messages: OriginalMessage[]): GroupedMessages[] {
  const groups: GroupedMessages[] = [];
  for (const message of messages) {
    const shown: OriginalMessage =
      message.role === 'USER' && message.content.every((block) => block.type === 'tool_result')
        ? { ...message, role: 'ASSISTANT' }
        : message;
    const takeOver = shown.take_over ?? false;
    const last = groups.at(-1);
    if (last && last.role === shown.role && last.take_over === takeOver) last.messages.push(shown);
    else groups.push({ role: shown.role, messages: [shown], take_over: takeOver });
  }
  return groups;
}
