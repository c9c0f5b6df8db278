import type { StoredContentBlock } from '@bytebot/protocol';
import type { TrajectoryCall, TrajectoryMessage, TrajectoryStep } from './trajectory-format.ts';

type Block = StoredContentBlock;

/** The archive path of a stored screenshot block, or undefined for an inline one (not kept). */
function imagePathOf(block: Block): string | undefined {
  if (block.type !== 'image' || block.source.type !== 'file') return undefined;
  return `images/${block.source.id}`;
}

function textOf(blocks: Block[]): string {
  return blocks
    .filter((block) => block.type === 'text')
    .map((block) => (block as { text: string }).text)
    .join('\n')
    .trim();
}

/**
 * Reads the steps out of a stored conversation: each assistant message is a step, its calls matched
 * with the results of the user message after it. The screen before a step is the last screenshot seen.
 */
export function buildSteps(messages: TrajectoryMessage[]): TrajectoryStep[] {
  const steps: TrajectoryStep[] = [];
  let lastScreenshot: string | undefined;
  for (const [position, message] of messages.entries()) {
    if (message.role === 'user') {
      for (const block of message.content) {
        const parts = block.type === 'tool_result' ? (block.content as Block[]) : [block];
        for (const part of parts) lastScreenshot = imagePathOf(part) ?? lastScreenshot;
      }
      continue;
    }
    const next = messages[position + 1];
    const results = next?.role === 'user' ? next.content : [];
    const calls: TrajectoryCall[] = [];
    let screenshotAfter: string | undefined;
    for (const block of message.content) {
      if (block.type !== 'tool_use') continue;
      const result = results.find(
        (candidate) => candidate.type === 'tool_result' && candidate.tool_use_id === block.id,
      );
      const call: TrajectoryCall = {
        id: block.id,
        name: block.name,
        input: block.input,
        ...(block.summary ? { summary: block.summary } : {}),
      };
      if (result?.type === 'tool_result') {
        const screenshot = result.content.map(imagePathOf).find((path) => path !== undefined);
        Object.assign(call, {
          ...(result.actions ? { actions: result.actions } : {}),
          ...(result.durationMs !== undefined ? { durationMs: result.durationMs } : {}),
          result: { text: textOf(result.content as Block[]), isError: result.is_error === true },
          ...(screenshot ? { screenshot } : {}),
        });
        screenshotAfter = screenshot ?? screenshotAfter;
      }
      calls.push(call);
    }
    steps.push({
      index: steps.length + 1,
      at: message.createdAt,
      text: textOf(message.content),
      ...(message.usage ? { usage: message.usage } : {}),
      calls,
      ...(lastScreenshot ? { screenshotBefore: lastScreenshot } : {}),
      ...(screenshotAfter ? { screenshotAfter } : {}),
    });
  }
  return steps;
}
