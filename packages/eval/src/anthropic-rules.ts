import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { anthropicError } from './anthropic-wire.ts';
import { imageSize } from './image-size.ts';
import type { JsonReply } from './json-server.ts';

/*
 * The rules Anthropic's Messages API holds a request to, as its documentation states them, for the
 * stand-ins of Claude (the tests' scripted server and the evaluation's scripted model): a request the
 * real API would refuse is refused here too, with the status and error type the API uses. These tables
 * are written from the documentation, not taken from the agent's own table, so that a mistake in the
 * agent shows up as a refused request.
 *
 * Pages (https://platform.claude.com/docs/en/...):
 *   [CU]   agents-and-tools/tool-use/computer-use-tool
 *   [VIS]  build-with-claude/vision
 *   [PC]   build-with-claude/prompt-caching
 *   [TH]   build-with-claude/extended-thinking
 *   [TU]   agents-and-tools/tool-use/implement-tool-use (handle tool calls)
 *   [ERR]  api/errors
 *   [MSG]  api/messages
 */

/** [CU] "API support" and "Earlier tool versions": which computer tool each model takes. */
const toolsetModels = [
  'claude-fable-5-2',
  'claude-mythos-5-2',
  'claude-fable-5-1',
  'claude-mythos-5-1',
  'claude-fable-5',
  'claude-mythos-5',
  'claude-opus-5-5',
  'claude-opus-5',
  'claude-sonnet-5-5',
  'claude-sonnet-5',
  'claude-haiku-5-5',
  'claude-opus-4-8',
];
/** [CU]: on the Claude API these answer 400 for computer_20251124 and computer_20250124. */
const toolsetOnlyModels = [
  'claude-fable-5-2',
  'claude-mythos-5-2',
  'claude-opus-5-5',
  'claude-sonnet-5-5',
  'claude-haiku-5-5',
];
const betaTools: Record<string, { beta: string; models: string[] }> = {
  computer_20251124: {
    beta: 'computer-use-2025-11-24',
    models: [
      'claude-fable-5-1',
      'claude-mythos-5-1',
      'claude-fable-5',
      'claude-mythos-5',
      'claude-opus-5',
      'claude-sonnet-5',
      'claude-opus-4-8',
      'claude-opus-4-7',
      'claude-opus-4-6',
      'claude-sonnet-4-6',
      'claude-opus-4-5',
    ],
  },
  computer_20250124: {
    beta: 'computer-use-2025-01-24',
    models: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1', 'claude-sonnet-4', 'claude-opus-4'],
  },
};
/** [VIS]: Opus 4.7 and later take 2576 px and 4784 tiles of 28 px; the others 1568 px and about 1.15 megapixels. */
const standardResolutionModels = [
  'claude-opus-4-6',
  'claude-sonnet-4-6',
  'claude-opus-4-5',
  ...(betaTools.computer_20250124?.models ?? []),
];
const knownModels = [
  ...new Set([...toolsetModels, ...Object.values(betaTools).flatMap((tool) => tool.models)]),
];

/** The toolset's members ([CU], "Available actions"; the SDK's BetaComputerMemberName). */
const computerMembers = new Set([
  'key',
  'hold_key',
  'type',
  'cursor_position',
  'mouse_move',
  'left_mouse_down',
  'left_mouse_up',
  'left_click',
  'left_click_drag',
  'right_click',
  'middle_click',
  'double_click',
  'triple_click',
  'scroll',
  'wait',
  'screenshot',
  'zoom',
]);

/** [CU] "Batch actions": the result of each member call after a failed one in the same turn. */
export const notExecutedText = 'Not executed: an earlier computer action in this turn failed.';

/**
 * Models past their end of life, which the API no longer serves (the SDK's deprecation table,
 * @anthropic-ai/sdk internal/data/deprecated-models.ts, and
 * https://platform.claude.com/docs/en/about-claude/model-deprecations): Sonnet 4.5 ended on 2026-11-30.
 */
const retiredModels = ['claude-sonnet-4-5', 'claude-mythos-preview'];

/** A dated id (claude-opus-4-5-20251101) is its alias's model. */
function baseModel(model: string): string | undefined {
  const alias = model.replace(/-\d{8}$/, '');
  return knownModels.includes(alias) && !retiredModels.includes(alias) ? alias : undefined;
}

type Block = Record<string, unknown> & { type?: unknown };
type Message = { role?: unknown; content?: unknown };

/** A refusal as the API words it: 400 invalid_request_error unless said otherwise. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly type = 'invalid_request_error',
  ) {
    super(message);
  }
}

function blocks(message: Message): Block[] {
  if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
  return Array.isArray(message.content) ? (message.content as Block[]) : [];
}

function headerList(headers: IncomingHttpHeaders, name: string): string[] {
  const value = headers[name];
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** What the stand-in sent in an assistant turn, to hold the next requests to it. */
interface SentTurn {
  toolUses: Array<{ id: string; name: string; toolsetName?: string }>;
  thinking: Block[];
}

/**
 * One stand-in's memory of what it answered (thinking blocks it signed, tool calls it made) and the
 * check of each request against the documented rules.
 */
export class AnthropicRules {
  private readonly secret = randomBytes(16);
  private readonly sent = new Map<string, SentTurn>();

  /** A thinking block signed by this stand-in: sent back changed, it is refused as the API refuses it. */
  thinking(text: string): Block {
    return { type: 'thinking', thinking: text, signature: this.sign(text) };
  }

  /** Remembers an answer's tool calls and thinking, so the requests that replay the turn can be held to it. */
  remember(content: Block[]): void {
    const toolUses = content
      .filter((block) => block.type === 'tool_use')
      .map((block) => ({
        id: String(block.id),
        name: String(block.name),
        ...(typeof block.toolset_name === 'string' ? { toolsetName: block.toolset_name } : {}),
      }));
    if (toolUses.length === 0) return;
    const turn = { toolUses, thinking: content.filter((block) => block.type === 'thinking') };
    for (const toolUse of toolUses) this.sent.set(toolUse.id, turn);
  }

  /** The API's answer to a request that breaks a rule, or undefined when it keeps them all. */
  check(headers: IncomingHttpHeaders, raw: string): JsonReply | undefined {
    try {
      this.checkRequest(headers, raw);
      return undefined;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return anthropicError(error.status, error.type, error.message);
    }
  }

  private sign(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64');
  }

  private checkRequest(headers: IncomingHttpHeaders, raw: string): void {
    // [ERR] request_too_large: 32 MB for the Messages API, refused with 413 before it reaches the API.
    if (Buffer.byteLength(raw) > 32 * 1024 * 1024) {
      throw new Refusal('Request exceeds the maximum allowed number of bytes.', 413, 'request_too_large');
    }
    // [MSG] the anthropic-version header is required.
    if (!headers['anthropic-version']) throw new Refusal('anthropic-version: header is required');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new Refusal('The request body is not valid JSON.');
    }
    const model = typeof body.model === 'string' ? body.model : '';
    const base = baseModel(model);
    // [ERR] not_found_error for a model the API does not have.
    if (!base) throw new Refusal(`model: ${model}`, 404, 'not_found_error');
    // [MSG] max_tokens: a required positive integer.
    if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) {
      throw new Refusal('max_tokens: Field required (a positive integer)');
    }
    const tools = Array.isArray(body.tools) ? (body.tools as Block[]) : [];
    const toolset = this.checkTools(base, tools, headerList(headers, 'anthropic-beta'));
    const messages = Array.isArray(body.messages) ? (body.messages as Message[]) : [];
    if (messages.length === 0) throw new Refusal('messages: at least one message is required');
    this.checkMessages(base, messages, tools.length > 0, toolset);
    this.checkCacheBreakpoints(body, tools, messages);
  }

  /** The computer tool entry for the model; returns whether the toolset is in the request. */
  private checkTools(model: string, tools: Block[], betas: string[]): boolean {
    let toolset = false;
    for (const [index, tool] of tools.entries()) {
      const type = String(tool.type ?? '');
      if (type === 'computer_toolset_20260801') {
        // [CU] the toolset's models.
        if (!toolsetModels.includes(model)) {
          throw new Refusal(`'${model}' does not support tool types: computer_toolset_20260801.`);
        }
        // [CU] "Migrate": the entry carries only type, configs, cache_control (and allowed_callers).
        for (const field of Object.keys(tool)) {
          if (!['type', 'configs', 'cache_control', 'allowed_callers'].includes(field)) {
            throw new Refusal(`tools.${index}.${field}: Extra inputs are not permitted`);
          }
        }
        // [CU] configs: one optional key per member, each {enabled?, defer_loading?}; unknown keys refused.
        const configs = (tool.configs ?? {}) as Record<string, unknown>;
        for (const [member, config] of Object.entries(configs)) {
          if (!computerMembers.has(member)) {
            throw new Refusal(`tools.${index}.configs.${member}: Extra inputs are not permitted`);
          }
          for (const field of Object.keys((config ?? {}) as object)) {
            if (!['enabled', 'defer_loading'].includes(field)) {
              throw new Refusal(`tools.${index}.configs.${member}.${field}: Extra inputs are not permitted`);
            }
          }
        }
        toolset = true;
        continue;
      }
      const version = betaTools[type];
      if (version) {
        // [CU] Claude 5.5 models answer 400 for the beta tools on the Claude API.
        if (toolsetOnlyModels.includes(model) || !version.models.includes(model)) {
          throw new Refusal(`'${model}' does not support tool types: ${type}.`);
        }
        // [CU] "Earlier tool versions": each beta tool needs its beta header.
        if (!betas.includes(version.beta)) {
          throw new Refusal(`tools.${index}: ${type} requires the anthropic-beta header ${version.beta}`);
        }
        if (tool.name !== 'computer') throw new Refusal(`tools.${index}.name: expected "computer"`);
        for (const field of ['display_width_px', 'display_height_px']) {
          if (!Number.isInteger(tool[field]) || (tool[field] as number) < 1) {
            throw new Refusal(`tools.${index}.${field}: Field required (a positive integer)`);
          }
        }
        // [CU] enable_zoom exists on computer_20251124 only.
        if (type === 'computer_20250124' && 'enable_zoom' in tool) {
          throw new Refusal(`tools.${index}.enable_zoom: Extra inputs are not permitted`);
        }
        continue;
      }
      if (type.startsWith('computer_')) throw new Refusal(`tools.${index}.type: unknown tool type ${type}`);
      // [TU] a custom tool: a name of 1 to 64 letters, digits, _ or -, and an input_schema object.
      if (typeof tool.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) {
        throw new Refusal(`tools.${index}.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
      }
      if (typeof tool.input_schema !== 'object' || tool.input_schema === null) {
        throw new Refusal(`tools.${index}.input_schema: Field required`);
      }
    }
    return toolset;
  }

  private checkMessages(model: string, messages: Message[], hasTools: boolean, toolset: boolean): void {
    const images: Array<{ where: string; width: number; height: number; inToolResult: boolean }> = [];
    for (const [index, message] of messages.entries()) {
      const where = `messages.${index}`;
      if (message.role !== 'user' && message.role !== 'assistant') {
        throw new Refusal(`${where}.role: Input should be 'user' or 'assistant'`);
      }
      const content = blocks(message);
      if (content.length === 0) throw new Refusal(`${where}: all messages must have non-empty content`);
      for (const [blockIndex, block] of content.entries()) {
        const at = `${where}.content.${blockIndex}`;
        // [MSG] text content blocks must contain non-whitespace text.
        if (block.type === 'text' && (typeof block.text !== 'string' || block.text.trim() === '')) {
          throw new Refusal(`${at}: text content blocks must contain non-whitespace text`);
        }
        if ((block.type === 'tool_use' || block.type === 'tool_result') && !hasTools) {
          throw new Refusal('Requests which include `tool_use` or `tool_result` blocks must define tools.');
        }
        if (block.type === 'thinking' && block.signature !== this.sign(String(block.thinking ?? ''))) {
          // [TH] thinking blocks go back unchanged; a changed one fails its signature.
          throw new Refusal(`${at}: Invalid \`signature\` in \`thinking\` block`);
        }
        if (block.type === 'image') images.push({ where: at, ...this.image(block, at), inToolResult: false });
        if (block.type === 'tool_result' && Array.isArray(block.content)) {
          for (const [partIndex, part] of (block.content as Block[]).entries()) {
            if (part.type === 'image') {
              images.push({
                where: `${at}.content.${partIndex}`,
                ...this.image(part, at),
                inToolResult: true,
              });
            }
          }
        }
      }
      if (message.role === 'assistant') this.checkTurn(messages, index, toolset);
    }
    this.checkImages(model, images, toolset);
  }

  /** An assistant turn that called tools, and the user turn that must answer it. */
  private checkTurn(messages: Message[], index: number, toolset: boolean): void {
    const content = blocks(messages[index] as Message);
    const toolUses = content.filter((block) => block.type === 'tool_use');
    if (toolUses.length === 0) return;
    const last = !messages.slice(index + 1).some((message) => message.role === 'assistant');
    // [TH] "Preserving thinking blocks": the last assistant turn of a tool-use loop carries its thinking unchanged.
    const sent = this.sent.get(String(toolUses[0]?.id));
    if (last && sent && sent.thinking.length > 0) {
      const replayed = content.filter((block) => block.type === 'thinking');
      const same =
        replayed.length === sent.thinking.length &&
        sent.thinking.every((block, position) => replayed[position]?.signature === block.signature);
      if (!same) {
        throw new Refusal(
          `messages.${index}.content: the thinking blocks of an assistant turn that used tools must be passed back unchanged`,
        );
      }
    }
    for (const toolUse of toolUses) {
      const origin = this.sent
        .get(String(toolUse.id))
        ?.toolUses.find((candidate) => candidate.id === toolUse.id);
      // [CU] a member call is replayed with its toolset_name.
      if (origin?.toolsetName && toolUse.toolset_name !== origin.toolsetName) {
        throw new Refusal(
          `messages.${index}: tool_use ${String(toolUse.id)} must carry toolset_name "${origin.toolsetName}"`,
        );
      }
      if (toolUse.toolset_name === 'computer' && !toolset) {
        throw new Refusal(
          `messages.${index}: tool_use ${String(toolUse.id)} names the computer toolset, which the request does not define`,
        );
      }
    }
    const answer = messages[index + 1];
    if (!answer) return;
    const answerBlocks = blocks(answer);
    const results = answerBlocks.filter((block) => block.type === 'tool_result');
    // [TU] every tool_use is answered by a tool_result in the very next message, and the results come first.
    const missing = toolUses.filter(
      (toolUse) => !results.some((result) => result.tool_use_id === toolUse.id),
    );
    if (answer.role !== 'user' || missing.length > 0) {
      throw new Refusal(
        `messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.map((toolUse) => String(toolUse.id)).join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
      );
    }
    const firstOther = answerBlocks.findIndex((block) => block.type !== 'tool_result');
    if (firstOther !== -1 && answerBlocks.slice(firstOther).some((block) => block.type === 'tool_result')) {
      throw new Refusal(
        `messages.${index + 1}: tool_result blocks must come first in the user message, before any other content`,
      );
    }
    const ids = new Set(toolUses.map((toolUse) => toolUse.id));
    for (const result of results) {
      const toolUse = toolUses.find((candidate) => candidate.id === result.tool_use_id);
      if (!toolUse || !ids.has(result.tool_use_id)) {
        throw new Refusal(
          `messages.${index + 1}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(result.tool_use_id)}`,
        );
      }
      // [CU] a member's result echoes its toolset_name; leaving it out or naming another is refused.
      if ((toolUse.toolset_name ?? null) !== (result.toolset_name ?? null)) {
        throw new Refusal(
          `messages.${index + 1}: tool_result for ${String(result.tool_use_id)} must have toolset_name ${JSON.stringify(toolUse.toolset_name ?? null)}`,
        );
      }
      const parts = Array.isArray(result.content)
        ? (result.content as Block[])
        : typeof result.content === 'string'
          ? [{ type: 'text', text: result.content }]
          : [];
      // [CU] "Error results": an is_error result holds text only, and not none.
      if (result.is_error === true && (parts.length === 0 || parts.some((part) => part.type !== 'text'))) {
        throw new Refusal(
          `messages.${index + 1}: a tool_result with is_error must contain only text, and some`,
        );
      }
    }
    this.checkBatch(index + 1, toolUses, results);
  }

  /**
   * [CU] "Batch actions": the member calls of a turn run in order and stop at the first failure; each
   * later member call is answered with is_error and exactly the not-executed text.
   */
  private checkBatch(index: number, toolUses: Block[], results: Block[]): void {
    const members = toolUses.filter((toolUse) => toolUse.toolset_name === 'computer');
    let failed = false;
    for (const member of members) {
      const result = results.find((candidate) => candidate.tool_use_id === member.id) as Block;
      const parts = Array.isArray(result.content) ? (result.content as Block[]) : [];
      const text = parts.map((part) => (part.type === 'text' ? String(part.text) : '')).join('');
      if (failed && !(result.is_error === true && text === notExecutedText)) {
        throw new Refusal(
          `messages.${index}: tool_result for ${String(member.id)} follows a failed computer action of the same turn; expected is_error with "${notExecutedText}"`,
        );
      }
      if (result.is_error === true) failed = true;
    }
  }

  private image(block: Block, where: string): { width: number; height: number } {
    const source = (block.source ?? {}) as Block;
    if (source.type !== 'base64' || typeof source.data !== 'string') {
      throw new Refusal(`${where}: image source must be base64 data`);
    }
    // [VIS] 10 MB of base64 per image on the Claude API.
    if (source.data.length > 10 * 1024 * 1024) throw new Refusal(`${where}: image exceeds 10 MB maximum`);
    const size = imageSize(Buffer.from(source.data, 'base64'));
    if (!size) throw new Refusal(`${where}: Could not process image`);
    if (size.format !== source.media_type) {
      throw new Refusal(
        `${where}: Image does not match the provided media type ${String(source.media_type)}`,
      );
    }
    return size;
  }

  private checkImages(
    model: string,
    images: Array<{ where: string; width: number; height: number; inToolResult: boolean }>,
    toolset: boolean,
  ): void {
    // [VIS] 600 images a request (100 for models with a 200k-token context window; we count 100 for the older ones).
    const maximum = standardResolutionModels.includes(model) ? 100 : 600;
    if (images.length > maximum)
      throw new Refusal(`messages: too many images (${images.length}); the maximum is ${maximum}`);
    const highResolution = !standardResolutionModels.includes(model);
    for (const image of images) {
      const long = Math.max(image.width, image.height);
      // [VIS] 8000x8000 at most; with more than 20 images, 2000 px a side.
      const side = images.length > 20 ? 2000 : 8000;
      if (image.width > side || image.height > side) {
        throw new Refusal(`${image.where}: image dimensions exceed max allowed size: ${side} pixels`);
      }
      // [CU]/[VIS] the toolset takes no display size and does not downscale: an oversized screenshot is refused.
      if (toolset && image.inToolResult) {
        const tiles = Math.ceil(image.width / 28) * Math.ceil(image.height / 28);
        const fits = highResolution
          ? long <= 2576 && tiles <= 4784
          : long <= 1568 && image.width * image.height <= 1_150_000;
        if (!fits) {
          throw new Refusal(
            `${image.where}: image_dimensions_too_large: ${image.width}x${image.height} exceeds this model's image limit (${highResolution ? '2576 px long edge, 4784 tiles of 28 px' : '1568 px long edge, 1.15 megapixels'})`,
          );
        }
      }
    }
  }

  /** [PC] at most 4 cache breakpoints a request. */
  private checkCacheBreakpoints(body: Record<string, unknown>, tools: Block[], messages: Message[]): void {
    const system = Array.isArray(body.system) ? (body.system as Block[]) : [];
    const marked = [...tools, ...system, ...messages.flatMap(blocks)].filter((block) => block.cache_control);
    if (marked.length > 4) {
      throw new Refusal(`A maximum of 4 blocks with cache_control may be provided. Found ${marked.length}.`);
    }
  }
}
