/**
 * The rules OpenAI documents for a Responses API request that uses the `computer` tool, as checks the
 * stand-in server (scripted-openai-responses-server.ts) runs on every request before it answers. A
 * request that breaks one is answered as OpenAI answers it: 400 (404 where OpenAI says "not found") with
 * `{ error: { message, type, param, code } }`. Each rule cites where it is written.
 *
 * Sources:
 * [guide]  https://developers.openai.com/api/docs/guides/tools-computer-use (the newest copy, examples on
 *          gpt-5.6; an earlier copy on gpt-5.4)
 * [azure]  https://learn.microsoft.com/azure/foundry-classic/openai/how-to/computer-use ("Computer Use in
 *          Azure OpenAI (classic)", the GA `actions[]` shape, ms.date 03/09/2026)
 * [sdk]    the official SDK's types, openai@7.57.0 `resources/responses/responses.d.ts` (generated from the
 *          API's OpenAPI document)
 * [vision] https://developers.openai.com/api/docs/guides/images-vision ("Image input requirements")
 * [fc]     https://developers.openai.com/api/docs/guides/function-calling (strict mode)
 */

export interface RuleError {
  status: number;
  message: string;
  param: string | null;
  code: string | null;
}

/** What the stand-in answered earlier, by call_id: replayed items are checked against it. */
export interface IssuedCall {
  kind: 'computer' | 'function';
  itemId: string;
  /** computer_call: `actions` (GA) or `action` (preview shape), exactly as sent. */
  actions?: unknown[];
  action?: unknown;
  pendingSafetyChecks: Array<{ id: string; code: string; message: string }>;
  /** The harness is expected to hold this call for a person: it does not run, so it is not acknowledged. */
  held: boolean;
  name?: string;
  /** The encrypted content of the reasoning items the same response had before this call. */
  reasoning: string[];
}

export interface Issued {
  calls: Map<string, IssuedCall>;
  encryptedContents: Set<string>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string, param: string | null = null, code: string | null = null): RuleError {
  return { status: 400, message, param, code };
}

/** JSON with keys sorted, to compare a replayed item with what was sent. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// ---------------------------------------------------------------------------------------------------
// Images

/** "PNG (.png), JPEG (.jpeg and .jpg), WEBP (.webp), Non-animated GIF (.gif)" [vision]. */
const imageTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
/** [vision] "Up to 20MB per image"; [guide, gpt-5.4 copy] `detail: "original"` "preserves the full screenshot resolution, up to 10.24M pixels". */
const maxImageBytes = 20 * 1024 * 1024;
const maxImagePixels = 10_240_000;
const imageDetails = ['low', 'high', 'auto', 'original'];

/** Width and height from the image's header, or undefined when the bytes are not that format. */
export function imageSize(bytes: Buffer, type: string): { width: number; height: number } | undefined {
  if (type === 'image/png') {
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature)) return undefined;
    if (bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (type === 'image/gif') {
    const header = bytes.toString('latin1', 0, 6);
    if (bytes.length < 10 || (header !== 'GIF87a' && header !== 'GIF89a')) return undefined;
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (type === 'image/webp') {
    if (
      bytes.length < 30 ||
      bytes.toString('latin1', 0, 4) !== 'RIFF' ||
      bytes.toString('latin1', 8, 12) !== 'WEBP'
    )
      return undefined;
    const chunk = bytes.toString('latin1', 12, 16);
    if (chunk === 'VP8 ')
      return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = bytes.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X') return { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
    return undefined;
  }
  if (type === 'image/jpeg') {
    if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
    let offset = 2;
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return undefined;
      const marker = bytes[offset + 1] as number;
      const length = bytes.readUInt16BE(offset + 2);
      // Start-of-frame markers carry the size (SOF0-SOF15 but DHT, JPG and DAC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
      }
      offset += 2 + length;
    }
    return undefined;
  }
  return undefined;
}

/** An image input by URL: a base64 data URL of an accepted type whose bytes are that picture, within the limits. */
function checkImageUrl(url: unknown, param: string): RuleError | undefined {
  if (typeof url !== 'string')
    return invalid(`Invalid type for '${param}': expected a string.`, param, 'invalid_type');
  if (!url.startsWith('data:')) return undefined; // A web URL is fetched by OpenAI; the tests send none.
  const match = /^data:([a-z/]+);base64,(.*)$/s.exec(url);
  if (!match)
    return invalid(`Invalid '${param}': expected a base64-encoded data URL.`, param, 'invalid_image_url');
  const [, type = '', data = ''] = match;
  if (!(imageTypes as readonly string[]).includes(type)) {
    return invalid(
      `Invalid '${param}': the image type '${type}' is not supported. Supported: ${imageTypes.join(', ')}.`,
      param,
      'unsupported_image_media_type',
    );
  }
  const bytes = Buffer.from(data, 'base64');
  if (data === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data) || bytes.toString('base64') !== data) {
    return invalid(`Invalid '${param}': the base64 image data is not valid.`, param, 'invalid_base64_image');
  }
  if (bytes.length > maxImageBytes) {
    return invalid(`Invalid '${param}': the image is larger than 20 MB.`, param, 'image_file_too_large');
  }
  const size = imageSize(bytes, type);
  if (!size || size.width === 0 || size.height === 0) {
    return invalid(
      `Invalid '${param}': the image data is not a valid ${type} image.`,
      param,
      'invalid_image_format',
    );
  }
  if (size.width * size.height > maxImagePixels) {
    return invalid(
      `Invalid '${param}': the image is ${size.width}x${size.height}, more than 10.24M pixels.`,
      param,
      'image_too_large',
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// The rules, in the order they are checked

/** A GA computer-use model: gpt-5.4 and later ([guide]: "`gpt-5.4` includes new training ... future models"). */
export function takesComputerTool(model: string): boolean {
  const match = /^gpt-(\d+)(?:\.(\d+))?(?:-|$)/.exec(model);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2] ?? '0');
  return major > 5 || (major === 5 && minor >= 4);
}

const namePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** [fc] strict mode: "additionalProperties must be set to false for each object" and "all fields in properties must be marked as required". */
function strictSchemaProblem(schema: unknown, where: string): string | undefined {
  if (!isObject(schema)) return undefined;
  if (schema.type === 'object' || isObject(schema.properties)) {
    const properties = isObject(schema.properties) ? Object.keys(schema.properties) : [];
    if (schema.additionalProperties !== false) {
      return `In context=${where}, 'additionalProperties' is required to be supplied and to be false.`;
    }
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missing = properties.find((property) => !required.includes(property));
    if (missing !== undefined) {
      return `In context=${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    }
    for (const property of properties) {
      const problem = strictSchemaProblem(
        (schema.properties as Json)[property],
        `${where}, 'properties', '${property}'`,
      );
      if (problem) return problem;
    }
  }
  if (isObject(schema.items)) return strictSchemaProblem(schema.items, `${where}, 'items'`);
  return undefined;
}

function checkTools(body: Json): RuleError | undefined {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  let computer = false;
  for (const [index, tool] of tools.entries()) {
    if (!isObject(tool))
      return invalid(`Invalid type for 'tools[${index}]'.`, `tools[${index}]`, 'invalid_type');
    if (tool.type === 'computer') {
      computer = true;
      // Rule 1 [guide, Migration]: "Tool name | tools: [{ type: "computer_use_preview" }] | tools: [{ type:
      // "computer" }]"; [sdk] `ComputerTool` is `{ type: 'computer' }`: no display size, no environment.
      const extra = Object.keys(tool).find((key) => key !== 'type');
      if (extra) {
        return invalid(
          `Unknown parameter: 'tools[${index}].${extra}'.`,
          `tools[${index}].${extra}`,
          'unknown_parameter',
        );
      }
    } else if (tool.type === 'computer_use_preview') {
      // Rule 2 [guide, Migration]: "Keep the preview path only to maintain older integrations"; its model,
      // computer-use-preview, was shut down on 2026-07-23 (https://developers.openai.com/api/docs/deprecations).
      return invalid(
        `The 'computer_use_preview' tool is not supported with model '${String(body.model)}'. Use tools: [{ "type": "computer" }].`,
        `tools[${index}].type`,
        'unsupported_value',
      );
    } else if (tool.type === 'function') {
      // Rule 4 [sdk] `FunctionTool` {name, parameters, strict}; [fc] names of letters, digits, _ and -, and
      // strict schemas with every property required and no others allowed.
      if (typeof tool.name !== 'string' || !namePattern.test(tool.name)) {
        return invalid(
          `Invalid 'tools[${index}].name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
          `tools[${index}].name`,
          'invalid_value',
        );
      }
      if (!isObject(tool.parameters) || tool.parameters.type !== 'object') {
        return invalid(
          `Invalid schema for function '${tool.name}': schema must be a JSON Schema of 'type: "object"'.`,
          `tools[${index}].parameters`,
          'invalid_function_parameters',
        );
      }
      if (tool.strict === true) {
        const problem = strictSchemaProblem(tool.parameters, '()');
        if (problem) {
          return invalid(
            `Invalid schema for function '${tool.name}': ${problem}`,
            `tools[${index}].parameters`,
            'invalid_function_parameters',
          );
        }
      }
    }
  }
  // Rule 3 [guide]: the computer tool is for the computer-use models, "`gpt-5.4` ... and future models".
  if (computer && !takesComputerTool(String(body.model))) {
    return invalid(
      `Tool 'computer' is not supported with model '${String(body.model)}'.`,
      'tools',
      'unsupported_value',
    );
  }
  return undefined;
}

function checkState(body: Json): RuleError | undefined {
  // Rule 5 [sdk] `store`: a response is kept only when stored; every response of this stand-in is
  // stateless, so one cannot be continued by id: the whole conversation must come again.
  if (typeof body.previous_response_id === 'string') {
    return invalid(
      `Previous response with id '${body.previous_response_id}' not found.`,
      'previous_response_id',
      'previous_response_not_found',
    );
  }
  // Rule 6 [sdk] `include`: "`reasoning.encrypted_content` ... enables reasoning items to be used in
  // multi-turn conversations when using the Responses API statelessly (like when the `store` parameter is
  // set to `false`)". Without it a stateless client has nothing to send back (the stand-in is strict here).
  const include = Array.isArray(body.include) ? body.include : [];
  if (body.store === false && !include.includes('reasoning.encrypted_content')) {
    return invalid(
      "store: false without include: ['reasoning.encrypted_content']: the reasoning of this stateless conversation could not be sent back.",
      'include',
      'missing_include',
    );
  }
  return undefined;
}

interface Located {
  index: number;
  item: Json;
}

function checkInput(body: Json, issued: Issued): RuleError | undefined {
  const input = Array.isArray(body.input) ? body.input : [];
  const calls = new Map<string, Located & { type: string }>();
  const outputs = new Map<string, Located[]>();
  const reasoningAt = new Map<string, number>();
  for (const [index, item] of input.entries()) {
    if (!isObject(item))
      return invalid(`Invalid type for 'input[${index}]'.`, `input[${index}]`, 'invalid_type');
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    if (type === 'reasoning') {
      const encrypted = item.encrypted_content;
      if (typeof encrypted !== 'string' || encrypted === '') {
        // Rule 7 [sdk] `encrypted_content`: "especially important when `store` is `false`"; OpenAI's answer to
        // a reasoning item without it (openai/openai-agents-js#546, maximhq/bifrost#5410): 404 not found.
        if (body.store !== false) continue;
        return {
          status: 404,
          message: `Item with id '${String(item.id ?? '')}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
          param: 'input',
          code: null,
        };
      }
      // Rule 8: encrypted content goes back exactly as it came; other bytes cannot be decrypted.
      if (!issued.encryptedContents.has(encrypted)) {
        return invalid(
          `The encrypted content for item input[${index}] could not be verified.`,
          `input[${index}].encrypted_content`,
          'invalid_encrypted_content',
        );
      }
      reasoningAt.set(encrypted, index);
    } else if (type === 'computer_call' || type === 'function_call') {
      const callId = item.call_id;
      if (typeof callId !== 'string')
        return invalid(
          `Missing required parameter: 'input[${index}].call_id'.`,
          `input[${index}].call_id`,
          'missing_required_parameter',
        );
      calls.set(callId, { index, item, type });
      const sent = issued.calls.get(callId);
      if (type === 'computer_call') {
        // Rule 10 [sdk] `ResponseComputerToolCall`: `id` is required; a replayed item is the item as it came
        // (the [azure] "include all the items returned"), and "The live API rejects empty
        // pending_safety_checks on replayed computer calls" (openai/openai-agents-js openaiResponsesModel.ts).
        if (typeof item.id !== 'string')
          return invalid(
            `Missing required parameter: 'input[${index}].id'.`,
            `input[${index}].id`,
            'missing_required_parameter',
          );
        if (Array.isArray(item.pending_safety_checks) && item.pending_safety_checks.length === 0) {
          return invalid(
            `Invalid 'input[${index}].pending_safety_checks': empty array. Leave it out when there are none.`,
            `input[${index}].pending_safety_checks`,
            'empty_array',
          );
        }
        if (sent) {
          const same =
            sent.kind === 'computer' &&
            item.id === sent.itemId &&
            canonical(item.actions) === canonical(sent.actions) &&
            canonical(item.action) === canonical(sent.action) &&
            canonical(item.pending_safety_checks ?? []) === canonical(sent.pendingSafetyChecks);
          if (!same) {
            return invalid(
              `Item 'input[${index}]' (computer_call ${callId}) does not match the computer call the model made.`,
              `input[${index}]`,
              'invalid_value',
            );
          }
        }
      }
      // Rule 9 [azure] "include all the items returned in the response output of the previous request in
      // your inputs array. This includes reasoning items if present"; [sdk] a reasoning item: "Be sure to
      // include these items in your `input`": the call's reasoning comes back, before the call.
      for (const encrypted of sent?.reasoning ?? []) {
        const at = reasoningAt.get(encrypted);
        if (at === undefined || at > index) {
          return invalid(
            `Item 'input[${index}]' of type '${type}' (${callId}) was provided without its required 'reasoning' item, which must come before it.`,
            `input[${index}]`,
            'missing_reasoning_item',
          );
        }
      }
    } else if (type === 'computer_call_output' || type === 'function_call_output') {
      const callId = item.call_id;
      if (typeof callId !== 'string')
        return invalid(
          `Missing required parameter: 'input[${index}].call_id'.`,
          `input[${index}].call_id`,
          'missing_required_parameter',
        );
      const call = calls.get(callId);
      const wanted = type === 'computer_call_output' ? 'computer_call' : 'function_call';
      // Rule 11 / 12: an output answers a call of its kind that came before it.
      if (!call || call.type !== wanted) {
        return invalid(
          `No tool call found for ${wanted === 'computer_call' ? 'computer' : 'function'} call output with call_id ${callId}.`,
          'input',
          null,
        );
      }
      outputs.set(callId, [...(outputs.get(callId) ?? []), { index, item }]);
      if (type === 'computer_call_output') {
        const problem = checkComputerOutput(item, index, issued.calls.get(callId), call.item);
        if (problem) return problem;
      } else {
        const problem = checkFunctionOutput(item, index);
        if (problem) return problem;
      }
    } else if (type === 'message') {
      const problem = checkMessage(item, index);
      if (problem) return problem;
    }
  }
  // Rule 11 / 12 [guide] "Capture the updated screen and send it back as computer_call_output"; every
  // call gets exactly one output (OpenAI: "No tool output found for function call ...").
  for (const [callId, call] of calls) {
    const answers = outputs.get(callId) ?? [];
    const kind = call.type === 'computer_call' ? 'computer' : 'function';
    if (answers.length === 0)
      return invalid(`No tool output found for ${kind} call ${callId}.`, 'input', null);
    if (answers.length > 1)
      return invalid(
        `Duplicate tool output for ${kind} call ${callId}: it must be answered once.`,
        'input',
        null,
      );
  }
  return undefined;
}

function checkComputerOutput(
  item: Json,
  index: number,
  sent: IssuedCall | undefined,
  call: Json,
): RuleError | undefined {
  const param = `input[${index}].output`;
  const output = item.output;
  // Rule 13 [guide, step 4] `output: { type: "computer_screenshot", image_url: "data:image/png;base64,...",
  // detail: "original" }`; [sdk] `ResponseComputerToolCallOutputScreenshot` {type, image_url?, file_id?}.
  if (!isObject(output) || output.type !== 'computer_screenshot') {
    return invalid(
      `Invalid '${param}': expected an object of type 'computer_screenshot'.`,
      param,
      'invalid_value',
    );
  }
  if (output.image_url === undefined && output.file_id === undefined) {
    return invalid(
      `Missing required parameter: '${param}.image_url'.`,
      `${param}.image_url`,
      'missing_required_parameter',
    );
  }
  if (output.detail !== undefined && !imageDetails.includes(String(output.detail))) {
    return invalid(
      `Invalid value: '${String(output.detail)}'. Supported values are: 'low', 'high', 'auto', and 'original'.`,
      `${param}.detail`,
      'invalid_value',
    );
  }
  // Rule 14 [vision] accepted types and sizes; [guide] original detail up to 10.24M pixels.
  if (output.image_url !== undefined) {
    const problem = checkImageUrl(output.image_url, `${param}.image_url`);
    if (problem) return problem;
  }
  // Rule 15 [azure] "You need to pass the safety checks back as `acknowledged_safety_checks` in the next
  // request in order to proceed", the checks as they came (`id`, `code`, `message`).
  const pending = Array.isArray(call.pending_safety_checks) ? (call.pending_safety_checks as Json[]) : [];
  const acknowledged = Array.isArray(item.acknowledged_safety_checks)
    ? (item.acknowledged_safety_checks as Json[])
    : [];
  if (acknowledged.length > 0) {
    const pendingIds = pending.map((check) => String(check.id)).sort();
    const acknowledgedIds = acknowledged.map((check) => String(isObject(check) ? check.id : check)).sort();
    if (canonical(pendingIds) !== canonical(acknowledgedIds)) {
      return invalid(
        `Invalid 'input[${index}].acknowledged_safety_checks': [${acknowledgedIds.join(', ')}] are not the pending safety checks of call ${String(item.call_id)} ([${pendingIds.join(', ')}]).`,
        `input[${index}].acknowledged_safety_checks`,
        'invalid_value',
      );
    }
  }
  // Rule 16 [azure] "In all cases where `pending_safety_checks` are returned, actions should be handed over
  // to the end user to confirm": a call that ran (after a person's go) proceeds only with its checks
  // acknowledged; a call the harness held for a person did not run, and is not acknowledged by anyone.
  if (sent && sent.pendingSafetyChecks.length > 0) {
    if (!sent.held && acknowledged.length === 0) {
      return invalid(
        `The computer call ${String(item.call_id)} has pending safety checks: pass them back as acknowledged_safety_checks on its output in order to proceed.`,
        `input[${index}].acknowledged_safety_checks`,
        'safety_checks_not_acknowledged',
      );
    }
    if (sent.held && acknowledged.length > 0) {
      return invalid(
        `The computer call ${String(item.call_id)} was held for a person and did not run: its safety checks were acknowledged by no one.`,
        `input[${index}].acknowledged_safety_checks`,
        'safety_checks_acknowledged_without_confirmation',
      );
    }
  }
  return undefined;
}

function checkContentImage(part: Json, param: string): RuleError | undefined {
  if (part.detail !== undefined && part.detail !== null && !imageDetails.includes(String(part.detail))) {
    return invalid(
      `Invalid value: '${String(part.detail)}'. Supported values are: 'low', 'high', 'auto', and 'original'.`,
      `${param}.detail`,
      'invalid_value',
    );
  }
  return part.image_url === undefined ? undefined : checkImageUrl(part.image_url, `${param}.image_url`);
}

function checkFunctionOutput(item: Json, index: number): RuleError | undefined {
  // [sdk] `FunctionCallOutput.output`: "Text, image, or file output": a string, or input_text / input_image / input_file parts.
  if (typeof item.output === 'string') return undefined;
  if (!Array.isArray(item.output))
    return invalid(`Invalid type for 'input[${index}].output'.`, `input[${index}].output`, 'invalid_type');
  for (const [part, content] of item.output.entries()) {
    const param = `input[${index}].output[${part}]`;
    if (!isObject(content) || !['input_text', 'input_image', 'input_file'].includes(String(content.type))) {
      return invalid(
        `Invalid value for '${param}.type'. Supported values are: 'input_text', 'input_image', and 'input_file'.`,
        `${param}.type`,
        'invalid_value',
      );
    }
    if (content.type === 'input_image') {
      const problem = checkContentImage(content, param);
      if (problem) return problem;
    }
  }
  return undefined;
}

function checkMessage(item: Json, index: number): RuleError | undefined {
  // Rule 17 [sdk] `EasyInputMessage` / `ResponseInputItem.Message`: a user, system or developer message
  // holds input_text / input_image / input_file parts; an assistant message text, or output_text and
  // refusal parts (OpenAI: "Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'.").
  const role = item.role;
  if (!['user', 'assistant', 'system', 'developer'].includes(String(role))) {
    return invalid(
      `Invalid value: '${String(role)}'. Supported values are: 'user', 'assistant', 'system', and 'developer'.`,
      `input[${index}].role`,
      'invalid_value',
    );
  }
  if (typeof item.content === 'string') return undefined;
  if (!Array.isArray(item.content))
    return invalid(`Invalid type for 'input[${index}].content'.`, `input[${index}].content`, 'invalid_type');
  const allowed =
    role === 'assistant' ? ['output_text', 'refusal'] : ['input_text', 'input_image', 'input_file'];
  for (const [part, content] of item.content.entries()) {
    const param = `input[${index}].content[${part}]`;
    if (!isObject(content) || !allowed.includes(String(content.type))) {
      return invalid(
        `Invalid value: '${String(isObject(content) ? content.type : content)}'. Supported values are: ${allowed.map((type) => `'${type}'`).join(' and ')}.`,
        `${param}.type`,
        'invalid_value',
      );
    }
    if (content.type === 'input_image') {
      const problem = checkContentImage(content, param);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The first documented rule the request breaks, answered as OpenAI would; undefined for a good request. */
export function checkRequest(body: Json, issued: Issued): RuleError | undefined {
  if (typeof body.model !== 'string' || body.model === '') {
    return invalid("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  }
  return checkTools(body) ?? checkState(body) ?? checkInput(body, issued);
}
