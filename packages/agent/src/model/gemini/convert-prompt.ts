import type { ImageBlock, TextBlock, ToolResultBlock, ToolUseBlock } from '@bytebot/protocol';
import type { Content, FunctionDeclaration, GenerateContentParameters, Part, Tool } from '@google/genai';
import { computerFunctionTools } from '../computer-function-tools.ts';
import type { FunctionTool, ModelMessage, ModelRequest } from '../model-provider.ts';
import type { GeminiComputerTool } from './computer-use-models.ts';
import { geminiCallId, thoughtSignatureOf } from './function-call-state.ts';
import { isPredefinedFunction, replacedPredefinedFunctions } from './predefined-functions.ts';
import { acknowledges, safetyAcknowledgement } from './safety-decision.ts';

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
export function functionDeclarations(tools: FunctionTool[]): FunctionDeclaration[] {
  return tools.map((tool) => ({
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
 * The response to a call of one of the computer use tool's predefined functions: its screenshot inside
 * the response, "FunctionResponse(name, response={...}, parts=[FunctionResponsePart(inline_data=
 * FunctionResponseBlob(mime_type="image/png", data=screenshot))])", and the safety acknowledgement of a
 * call a person confirmed (https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/computer-use,
 * "Capture the new state" and "Acknowledge safety decision"). No `url`: Google's examples send the
 * browser's current URL, and a desktop has none; no page says the field is required.
 */
function predefinedResponse(call: ToolUseBlock, result: ToolResultBlock, id: string | undefined): Part {
  const words = text(result.content);
  const images = result.content.filter((part) => part.type === 'image');
  return {
    functionResponse: {
      name: call.name,
      ...(id ? { id } : {}),
      response: {
        ...(result.is_error ? { error: words || 'failed' } : words ? { output: words } : {}),
        ...(acknowledges(call, result) ? safetyAcknowledgement : {}),
      },
      ...(images.length > 0
        ? {
            parts: images.map((image) => ({
              inlineData: { mimeType: image.source.media_type, data: image.source.data },
            })),
          }
        : {}),
    },
  };
}

/**
 * A user turn. Tool results become function responses, named after the call they answer (Gemini pairs
 * responses with calls by name and order; the id only when Gemini sent one). A predefined computer use
 * function's response carries its screenshot inside (above). Our own functions' responses carry JSON:
 * multimodal `functionResponse.parts` exist only for Gemini 3 and the computer use models, so each of
 * their screenshots goes in the same user turn as an inlineData part right after all the function
 * responses, which every Gemini model accepts. Other user blocks follow.
 */
function userParts(
  content: ModelMessage['content'],
  callFor: (id: string) => ToolUseBlock | undefined,
  isPredefined: (name: string) => boolean,
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
      const id = geminiCallId(call.id);
      if (isPredefined(call.name)) {
        responses.push(predefinedResponse(call, block, id));
        continue;
      }
      const output = text(block.content) || (images.length > 0 ? 'Done. The screenshot follows.' : 'Done.');
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

/**
 * Our conversation as Gemini contents: user stays 'user', assistant becomes 'model'. With the computer
 * use tool, calls of its predefined functions (those not among our declared `functions`) are answered
 * in its own form.
 */
export function convertMessages(
  messages: ModelMessage[],
  model: string,
  computerUse?: { functions: FunctionTool[] },
): Content[] {
  const declared = new Set(computerUse?.functions.map((tool) => tool.name));
  const isPredefined = (name: string) =>
    computerUse !== undefined && !declared.has(name) && isPredefinedFunction(name);
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
      parts = userParts(message.content, (id) => previousCalls.get(id) ?? everyCall.get(id), isPredefined);
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

/**
 * The tools of a request. With the computer use tool: `tools: [{computerUse: {environment}},
 * {functionDeclarations}]` (https://ai.google.dev/gemini-api/docs/computer-use, "Custom user-defined
 * functions"), our own functions (open_application, files, set_task_status) beside the predefined ones;
 * otherwise our computer actions are function declarations too.
 */
function tools(request: ModelRequest, tool: GeminiComputerTool): Tool[] {
  if (tool.kind === 'function-tools')
    return [{ functionDeclarations: functionDeclarations([...computerFunctionTools, ...request.tools]) }];
  const excluded = [
    ...tool.excludedPredefinedFunctions,
    ...replacedPredefinedFunctions(
      tool.actions,
      request.tools.map((declared) => declared.name),
    ),
  ];
  return [
    {
      computerUse: {
        environment: tool.environment,
        ...(excluded.length > 0 ? { excludedPredefinedFunctions: excluded } : {}),
      },
    },
    ...(request.tools.length > 0 ? [{ functionDeclarations: functionDeclarations(request.tools) }] : []),
  ];
}

/** Our request as the parameters of the SDK's `models.generateContent`. */
export function convertPrompt(
  request: ModelRequest,
  model: string,
  tool: GeminiComputerTool = { kind: 'function-tools' },
): GenerateContentParameters {
  return {
    model,
    contents: convertMessages(
      request.messages,
      model,
      tool.kind === 'computer-use' ? { functions: request.tools } : undefined,
    ),
    config: {
      systemInstruction: request.system,
      tools: tools(request, tool),
      maxOutputTokens: request.maxOutputTokens,
      ...(request.signal ? { abortSignal: request.signal } : {}),
    },
  };
}
