import type { ContentBlock, ToolResultBlock, ToolUseBlock } from '@bytebot/protocol';
import type { ToolCall } from '../model/model-provider.ts';

const applicationNames: Record<string, string> = {
  firefox: 'Firefox',
  terminal: 'the terminal',
  file_manager: 'the file manager',
  directory: 'the file manager',
  text_editor: 'the text editor',
  desktop: 'the desktop',
};

/** The line a person reads in the conversation for one tool call. */
function summarize(call: ToolCall): string {
  if (call.kind === 'computer') return call.describe;
  if (call.kind === 'invalid') return `Could not carry out ${call.name}: ${call.error}`;
  const input = call.input;
  switch (call.name) {
    case 'open_application':
      return `Opened ${applicationNames[String(input.application)] ?? String(input.application)}`;
    case 'set_task_status':
      return `Marked the task ${String(input.status).replace('_', ' ')}: ${String(input.description ?? '')}`;
    case 'read_file':
      return `Read ${String(input.path)}`;
    case 'write_file':
      return `Wrote ${String(input.path)}`;
    default:
      return `Used ${call.name}`;
  }
}

/** The model's reply with each tool call's line for people attached to it. */
export function withSummaries(content: ContentBlock[], calls: ToolCall[]): ContentBlock[] {
  return content.map((block) => {
    if (block.type !== 'tool_use') return block;
    const call = calls.find((candidate) => candidate.id === block.id);
    return call ? { ...block, summary: summarize(call) } : block;
  });
}

export function toolUses(content: ContentBlock[]): ToolUseBlock[] {
  return content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
}

/** The words of a reply, without its calls and thinking. */
export function replyText(blocks: ContentBlock[]): string {
  return blocks
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('\n')
    .trim();
}

/** A result in words for a call that was not carried out (or not fully), echoing its toolset where it has one. */
export function note(id: string, message: string, isError = false, toolsetName?: string): ToolResultBlock {
  return {
    type: 'tool_result',
    tool_use_id: id,
    content: [{ type: 'text', text: message }],
    ...(isError ? { is_error: true } : {}),
    ...(toolsetName ? { toolset_name: toolsetName } : {}),
  };
}

export function answer(call: ToolCall, message: string, isError: boolean): ToolResultBlock {
  return note(call.id, message, isError, call.kind === 'function' ? undefined : call.sequence?.family);
}
