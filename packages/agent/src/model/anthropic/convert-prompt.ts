import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock } from '@bytebot/protocol';
import type { ModelMessage, ModelRequest } from '../model-provider.ts';
import { claudeComputerTool } from './claude-computer-tools.ts';

type BetaContentBlockParam = Anthropic.Beta.BetaContentBlockParam;
type BetaToolUnion = Anthropic.Beta.BetaToolUnion;
type BetaMessageParam = Anthropic.Beta.BetaMessageParam;

const ephemeral = { type: 'ephemeral' } as const;

/**
 * Anthropic answers 400 to a text block that is empty or only whitespace
 * (https://platform.claude.com/docs/en/build-with-claude/working-with-messages), even one that only
 * carries a cache breakpoint; such blocks are left out.
 */
function isBlank(block: ContentBlock): boolean {
  return block.type === 'text' && block.text.trim() === '';
}

function convertBlock(block: ContentBlock): BetaContentBlockParam {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image', source: { ...block.source } };
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking, signature: block.signature };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool_use':
      return {
        type: 'tool_use',
        id: block.id,
        name: block.name,
        input: block.input,
        ...(block.toolset_name ? { toolset_name: block.toolset_name } : {}),
      };
    case 'tool_result': {
      const content = block.content
        .filter((part) => !isBlank(part))
        .map((part) =>
          part.type === 'text'
            ? { type: 'text' as const, text: part.text }
            : { type: 'image' as const, source: { ...part.source } },
        );
      return {
        type: 'tool_result',
        tool_use_id: block.tool_use_id,
        // An error result needs words (the API refuses an empty one); a success may be empty.
        content: content.length > 0 || !block.is_error ? content : 'The tool call failed.',
        ...(block.is_error ? { is_error: true } : {}),
        ...(block.toolset_name ? { toolset_name: block.toolset_name } : {}),
      };
    }
  }
}

/**
 * Thinking blocks go back unchanged where the documentation requires them, in an assistant turn that
 * called tools (https://platform.claude.com/docs/en/build-with-claude/extended-thinking, "Preserving
 * thinking blocks"); elsewhere the API ignores them, so they are left out.
 */
function keptBlocks(message: ModelMessage): ContentBlock[] {
  const callsTools = message.content.some((block) => block.type === 'tool_use');
  return message.content.filter(
    (block) =>
      !isBlank(block) && (callsTools || (block.type !== 'thinking' && block.type !== 'redacted_thinking')),
  );
}

function convertMessages(messages: ModelMessage[]): BetaMessageParam[] {
  const converted: BetaMessageParam[] = [];
  for (const message of messages) {
    const content = keptBlocks(message).map(convertBlock);
    if (content.length === 0) continue;
    const previous = converted.at(-1);
    // A message left empty joins its neighbours of one role into one turn, as the API requires.
    if (previous?.role === message.role && Array.isArray(previous.content)) previous.content.push(...content);
    else converted.push({ role: message.role, content });
  }
  // Cache breakpoints on the last block of each of the three newest user turns, as the computer use page
  // advises (https://platform.claude.com/docs/en/agents-and-tools/tool-use/computer-use-tool, "Manage
  // screenshot history"): the next step reads the conversation so far from the cache, and a change further
  // back (an old screenshot dropped) still leaves the turns before it cached. With the system prompt's,
  // four: the API's most.
  for (const message of converted.filter((candidate) => candidate.role === 'user').slice(-3)) {
    const block = Array.isArray(message.content) ? message.content.at(-1) : undefined;
    if (block) Object.assign(block, { cache_control: ephemeral });
  }
  return converted;
}

/** The computer tool's entry in `tools` for a model, and the beta header it needs (none for the toolset). */
function computerTool(
  model: string,
  screen: ModelRequest['screen'],
): { tool: BetaToolUnion; betas: string[] } {
  const version = claudeComputerTool(model);
  if (version.kind === 'toolset') {
    // One entry carrying only its type: no name, no display fields, every member (zoom included) on.
    return { tool: { type: version.type }, betas: [] };
  }
  return {
    tool: {
      type: version.type,
      name: 'computer',
      display_width_px: screen.width,
      display_height_px: screen.height,
      ...(version.type === 'computer_20251124' ? { enable_zoom: true } : {}),
    },
    betas: [version.beta],
  };
}

/** Our request as the parameters of Anthropic's Messages API, with the model's own computer tool. */
export function convertPrompt(request: ModelRequest, model: string) {
  const computer = computerTool(model, request.screen);
  const tools: BetaToolUnion[] = [
    computer.tool,
    ...request.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: { type: 'object' as const, ...tool.inputSchema },
    })),
  ];
  // The tools, then the system prompt, never change within a task (the prompt holds no clock): one
  // breakpoint after them caches both.
  return {
    model,
    max_tokens: request.maxOutputTokens,
    system: [{ type: 'text' as const, text: request.system, cache_control: ephemeral }],
    tools,
    messages: convertMessages(request.messages),
    ...(computer.betas.length > 0 ? { betas: computer.betas } : {}),
  };
}
