import type {
  AgentMessage,
  ImageBlock,
  StoredImageBlock,
  StoredToolResultBlock,
  ToolUseBlock,
} from '@bytebot/protocol';

export interface Point {
  x: number;
  y: number;
}

/** A desktop action as the agent records it in a tool result: the protocol's action, in screen pixels. */
export type PerformedAction = Record<string, unknown> & { action?: unknown };

export interface Screenshot {
  url: string;
  /** The stored file's name (its hash), for stored screenshots. */
  file: string | undefined;
}

/** One tool call of the model, with what came of it: the unit a person steps through in a replay. */
export interface ReplayStep {
  index: number;
  messageId: string;
  call: ToolUseBlock;
  /** The model's words in the same reply, before its calls. */
  modelText: string;
  result: StoredToolResultBlock | undefined;
  actions: PerformedAction[];
  /** The screen after the step: its own screenshot, or the last one before it when it brought none. */
  screenshot: Screenshot | undefined;
  /** Whether `screenshot` came with this step (not carried over from an earlier one). */
  ownScreenshot: boolean;
  /** Where the pointer was before the step, as far as the recorded actions tell. */
  pointerBefore: Point | undefined;
}

/** Stored screenshots come from the agent (through the UI server); older messages may still hold them inline. */
export function imageUrl(image: ImageBlock | StoredImageBlock, taskId: string): string {
  if (image.source.type === 'file') return `/api/agent/tasks/${taskId}/screenshots/${image.source.id}`;
  return `data:${image.source.media_type};base64,${image.source.data}`;
}

export function readPoint(value: unknown): Point | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { x, y } = value as { x?: unknown; y?: unknown };
  return typeof x === 'number' && typeof y === 'number' ? { x, y } : undefined;
}

export function readPath(value: unknown): Point[] {
  if (!Array.isArray(value)) return [];
  return value.map(readPoint).filter((point): point is Point => point !== undefined);
}

/** Where the pointer is after an action, if the action moved it. */
function pointerAfter(action: PerformedAction, before: Point | undefined): Point | undefined {
  const at = readPoint(action.coordinates);
  if (at) return at;
  if (action.action === 'drag_mouse' || action.action === 'trace_mouse') return readPath(action.path).at(-1);
  return before;
}

/**
 * The steps of a conversation in order: each tool call paired with its result (which sits in the next
 * message), the desktop actions the result records, and the screenshot a person sees for it.
 */
export function replaySteps(messages: readonly AgentMessage[]): ReplayStep[] {
  const results = new Map<string, StoredToolResultBlock>();
  for (const message of messages) {
    for (const block of message.content) {
      if (block.type === 'tool_result') results.set(block.tool_use_id, block);
    }
  }
  const steps: ReplayStep[] = [];
  let screenshot: Screenshot | undefined;
  let pointer: Point | undefined;
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    const modelText = message.content
      .filter((block) => block.type === 'text')
      .map((block) => block.text)
      .join('\n');
    for (const block of message.content) {
      if (block.type !== 'tool_use') continue;
      const result = results.get(block.id);
      const actions = (result?.actions ?? []) as PerformedAction[];
      const image = result?.content.filter((part) => part.type === 'image').at(-1);
      const own = image
        ? {
            url: imageUrl(image, message.taskId),
            file: image.source.type === 'file' ? image.source.id : undefined,
          }
        : undefined;
      // A zoom's picture is a part of the screen, enlarged: it is shown in the conversation, not as the screen.
      const zoomed = actions.some((action) => action.action === 'zoom');
      if (own && !zoomed) screenshot = own;
      steps.push({
        index: steps.length,
        messageId: message.id,
        call: block,
        modelText,
        result,
        actions,
        screenshot,
        ownScreenshot: own !== undefined && !zoomed,
        pointerBefore: pointer,
      });
      for (const action of actions) pointer = pointerAfter(action, pointer);
    }
  }
  return steps;
}
