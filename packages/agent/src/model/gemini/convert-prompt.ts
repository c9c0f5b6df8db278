import type { ImageBlock, TextBlock, ToolResultBlock, ToolUseBlock } from '@bytebot/protocol';
import type { Content, FunctionDeclaration, GenerateContentParameters, Part } from '@google/genai';
import { computerFunctionTools } from '../computer-function-tools.ts';
import type { ModelMessage, ModelRequest } from '../model-provider.ts';
import { geminiCallId, thoughtSignatureOf } from './function-call-state.ts';

/**
 * The documented placeholder for a function call whose real thought signature is gone (a conversation
 * stored before signatures were kept, or one begun with another provider): Gemini 3 accepts it instead of
 * answering 400. Older models do not validate signatures, so they get none.
 */
export const skipThoughtSignature = 'skip_thought_signature_validator';

function validatesThoughtSignatures(model: string): boolean {
  return /gemini-([3-9]|\d{2,})/.test(model);
}

function imagePart(image: ImageBlock): Part {
  return { inlineData: { mimeType: image.source.media_type, data: image.source.data } };
}

function text(blocks: Array<TextBlock | ImageBlock>): string {
  return blocks
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('\n');
}

/** Our tools as Gemini function declarations; their JSON Schemas go through unchanged. */
export function functionDeclarations(request: ModelRequest): FunctionDeclaration[] {
  return [...computerFunctionTools, ...request.tools].map((tool) => ({
    name: tool.name,
    description: tool.description,
    // `parametersJsonSchema` takes JSON Schema as it is (this SDK version has it); `parameters` would
    // take only Google's OpenAPI subset, and our schemas carry additionalProperties, defaults, bounds.
    parametersJsonSchema: tool.inputSchema,
  }));
}

function modelParts(content: ModelMessage['content'], model: string): Part[] {
  const parts: Part[] = [];
  let signed = false;
  for (const block of content) {
    if (block.type === 'text') {
      if (block.text !== '') parts.push({ text: block.text });
    } else if (block.type === 'tool_use') {
      const id = geminiCallId(block.id);
      const signature = thoughtSignatureOf(block);
      signed ||= signature !== undefined;
      // Only the name, arguments and Gemini's own id: our `summary` and made-up ids stay here.
      parts.push({
        functionCall: { name: block.name, args: block.input, ...(id ? { id } : {}) },
        ...(signature ? { thoughtSignature: signature } : {}),
      });
    } else if (block.type === 'image') {
      parts.push(imagePart(block));
    }
  }
  if (!signed && validatesThoughtSignatures(model)) {
    // Gemini 3 wants a signature on the first function call of each step.
    const first = parts.find((part) => part.functionCall);
    if (first) first.thoughtSignature = skipThoughtSignature;
  }
  return parts;
}

/**
 * A user turn. Tool results become function responses, named after the call they answer (Gemini pairs
 * responses with calls by name and order; the id only when Gemini sent one). Gemini's function responses
 * carry JSON, not images (multimodal `functionResponse.parts` exist only for Gemini 3 models), so each
 * result's screenshot goes in the same user turn as an inlineData part right after all the function
 * responses, which every Gemini model accepts. Other user blocks follow.
 */
function userParts(
  content: ModelMessage['content'],
  callFor: (id: string) => ToolUseBlock | undefined,
): Part[] {
  const responses: Part[] = [];
  const screenshots: Array<{ name: string; image: ImageBlock }> = [];
  const rest: Part[] = [];
  const orphanText = (result: ToolResultBlock) =>
    `Result of an earlier tool call (${result.tool_use_id}): ${text(result.content) || 'done'}`;
  for (const block of content) {
    if (block.type === 'tool_result') {
      const call = callFor(block.tool_use_id);
      const images = block.content.filter((part) => part.type === 'image');
      if (!call) {
        // No call to answer (it was summarized away): keep what it said as plain text.
        rest.push({ text: orphanText(block) });
        rest.push(...images.map(imagePart));
        continue;
      }
      const output = text(block.content) || (images.length > 0 ? 'Done. The screenshot follows.' : 'Done.');
      const id = geminiCallId(call.id);
      responses.push({
        functionResponse: {
          name: call.name,
          ...(id ? { id } : {}),
          // Gemini reads "output" as the function's result and "error" as its failure.
          response: block.is_error ? { error: output } : { output },
        },
      });
      screenshots.push(...images.map((image) => ({ name: call.name, image })));
    } else if (block.type === 'text') {
      if (block.text !== '') rest.push({ text: block.text });
    } else if (block.type === 'image') {
      rest.push(imagePart(block));
    }
  }
  const screenshotParts = screenshots.flatMap(({ name, image }) =>
    // With several screenshots, a line says which call each belongs to.
    screenshots.length > 1 ? [{ text: `Screenshot after ${name}:` }, imagePart(image)] : [imagePart(image)],
  );
  return [...responses, ...screenshotParts, ...rest];
}

/** Our conversation as Gemini contents: user stays 'user', assistant becomes 'model'. */
export function convertMessages(messages: ModelMessage[], model: string): Content[] {
  const contents: Content[] = [];
  const everyCall = new Map<string, ToolUseBlock>();
  let previousCalls = new Map<string, ToolUseBlock>();
  for (const message of messages) {
    let parts: Part[];
    if (message.role === 'assistant') {
      previousCalls = new Map();
      for (const block of message.content) {
        if (block.type !== 'tool_use') continue;
        previousCalls.set(block.id, block);
        everyCall.set(block.id, block);
      }
      parts = modelParts(message.content, model);
    } else {
      // The call a result answers is in the assistant message just before (earlier ones as a fallback).
      parts = userParts(message.content, (id) => previousCalls.get(id) ?? everyCall.get(id));
    }
    if (parts.length === 0) continue;
    const role = message.role === 'assistant' ? 'model' : 'user';
    const previous = contents.at(-1);
    // Gemini wants no empty turns; a dropped one must not leave two turns of one role side by side.
    if (previous?.role === role) previous.parts = [...(previous.parts ?? []), ...parts];
    else contents.push({ role, parts });
  }
  return contents;
}

/** Our request as the parameters of the SDK's `models.generateContent`. */
export function convertPrompt(request: ModelRequest, model: string): GenerateContentParameters {
  return {
    model,
    contents: convertMessages(request.messages, model),
    config: {
      systemInstruction: request.system,
      tools: [{ functionDeclarations: functionDeclarations(request) }],
      maxOutputTokens: request.maxOutputTokens,
      ...(request.signal ? { abortSignal: request.signal } : {}),
    },
  };
}
