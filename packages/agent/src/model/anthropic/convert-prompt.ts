import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock } from '@bytebot/protocol';
import type { ModelMessage, ModelRequest } from '../model-provider.ts';
import { computerToolVersion } from './computer-tool-version.ts';

type BetaContentBlockParam = Anthropic.Beta.BetaContentBlockParam;
type BetaToolUnion = Anthropic.Beta.BetaToolUnion;
type BetaMessageParam = Anthropic.Beta.BetaMessageParam;

const ephemeral = { type: 'ephemeral' } as const;

function convertBlock(block: ContentBlock): BetaContentBlockParam {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image', source: { ...block.source } };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.tool_use_id,
        content: block.content.map((part) =>
          part.type === 'text'
            ? { type: 'text' as const, text: part.text }
            : { type: 'image' as const, source: { ...part.source } },
        ),
        ...(block.is_error ? { is_error: true } : {}),
      };
  }
}

function convertMessages(messages: ModelMessage[]): BetaMessageParam[] {
  const converted = messages.map((message) => ({
    role: message.role,
    content: message.content.map(convertBlock),
  }));
  // A cache breakpoint on the newest block: the next step reads the whole conversation so far from the cache.
  const last = converted.at(-1)?.content.at(-1);
  if (last && last.type !== 'thinking' && last.type !== 'redacted_thinking') {
    Object.assign(last, { cache_control: ephemeral });
  }
  return converted;
}

/** Our request as the parameters of Anthropic's beta Messages API, with the native computer tool. */
export function convertPrompt(request: ModelRequest, model: string) {
  const version = computerToolVersion(model);
  const tools: BetaToolUnion[] = [
    {
      type: version.type,
      name: 'computer',
      display_width_px: request.screen.width,
      display_height_px: request.screen.height,
      ...(version.type === 'computer_20251124' ? { enable_zoom: true } : {}),
    },
    ...request.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: { type: 'object' as const, ...tool.inputSchema },
    })),
  ];
  // The tools and the system prompt never change within a task: cache them once.
  Object.assign(tools.at(-1) as object, { cache_control: ephemeral });
  return {
    model,
    max_tokens: request.maxOutputTokens,
    system: [{ type: 'text' as const, text: request.system, cache_control: ephemeral }],
    tools,
    messages: convertMessages(request.messages),
    betas: [version.beta],
  };
}
