/**
 * The rules the Gemini API enforces on a generateContent request that the scripted Gemini server checks,
 * each answered, when broken, with a 400 INVALID_ARGUMENT as Google sends it. Each rule names where it is
 * written down; where Google's own error message is known, it is the one sent.
 *
 * Sources:
 * [CU]  https://ai.google.dev/gemini-api/docs/computer-use (also its generateContent version,
 *       https://ai.google.dev/gemini-api/docs/generate-content/computer-use)
 * [VTX] https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/computer-use (generateContent, Python)
 * [REF] https://github.com/google-gemini/computer-use-preview (agent.py, Google's reference implementation)
 * [TS]  https://ai.google.dev/gemini-api/docs/thought-signatures
 * [SDK] https://googleapis.github.io/js-genai/release_docs/interfaces/types.ComputerUse.html
 */

export interface WirePart {
  text?: string;
  thought?: boolean;
  inlineData?: { mimeType?: string; data?: string };
  functionCall?: { name?: string; args?: Record<string, unknown>; id?: string };
  functionResponse?: {
    name?: string;
    id?: string;
    response?: Record<string, unknown>;
    parts?: Array<{ inlineData?: { mimeType?: string; data?: string } }>;
  };
  thoughtSignature?: string;
  [field: string]: unknown;
}

export interface WireContent {
  role?: string;
  parts?: WirePart[];
}

export interface WireTool {
  functionDeclarations?: Array<{ name?: string }>;
  computerUse?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface WireRequest {
  model: string;
  contents?: WireContent[];
  tools?: WireTool[];
}

/** What the server said before, to hold the client to it. */
export interface Issued {
  /** Thought signatures of the calls the server sent, by call (its id, or its name and arguments). */
  signatures: Map<string, string[]>;
  /** Every signature the server sent. */
  every: Set<string>;
  /** The calls the server sent with an id, by id. */
  calls: Map<string, { name: string; args: Record<string, unknown> }>;
}

export function newIssued(): Issued {
  return { signatures: new Map(), every: new Set(), calls: new Map() };
}

/** Sorted-key JSON, so the same arguments make the same key whatever order they were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function callKey(call: NonNullable<WirePart['functionCall']>): string {
  return call.id ? `id:${call.id}` : `call:${call.name}:${canonical(call.args ?? {})}`;
}

/** Notes the calls of a reply the server sends, with their signatures. */
export function noteIssued(issued: Issued, parts: WirePart[]): void {
  for (const part of parts) {
    if (!part.functionCall) continue;
    const key = callKey(part.functionCall);
    if (part.functionCall.id)
      issued.calls.set(part.functionCall.id, {
        name: part.functionCall.name ?? '',
        args: part.functionCall.args ?? {},
      });
    if (part.thoughtSignature) {
      issued.signatures.set(key, [...(issued.signatures.get(key) ?? []), part.thoughtSignature]);
      issued.every.add(part.thoughtSignature);
    }
  }
}

// ----- Computer use: the models, environments and predefined functions -----------------------------

/**
 * Predefined functions by generation and environment ([CU] and [VTX], "Supported actions"; the legacy
 * table "Legacy Supported UI actions").
 */
const currentDesktop = [
  'click',
  'double_click',
  'triple_click',
  'middle_click',
  'right_click',
  'mouse_down',
  'mouse_up',
  'move',
  'type',
  'drag_and_drop',
  'wait',
  'press_key',
  'key_down',
  'key_up',
  'hotkey',
  'take_screenshot',
  'scroll',
];
const predefinedFunctions = {
  current: {
    ENVIRONMENT_DESKTOP: currentDesktop,
    ENVIRONMENT_BROWSER: [...currentDesktop, 'go_back', 'navigate', 'go_forward'],
    ENVIRONMENT_MOBILE: [
      'open_app',
      'click',
      'list_apps',
      'wait',
      'go_back',
      'type',
      'drag_and_drop',
      'long_press',
      'press_key',
      'take_screenshot',
    ],
  },
  legacy: {
    ENVIRONMENT_BROWSER: [
      'open_web_browser',
      'wait_5_seconds',
      'go_back',
      'go_forward',
      'search',
      'navigate',
      'click_at',
      'hover_at',
      'type_text_at',
      'key_combination',
      'scroll_document',
      'scroll_at',
      'drag_and_drop',
    ],
  },
} as const;

const environments = ['ENVIRONMENT_BROWSER', 'ENVIRONMENT_MOBILE', 'ENVIRONMENT_DESKTOP'] as const;
type EnvironmentName = (typeof environments)[number];

const safetyPolicies = [
  'FINANCIAL_TRANSACTIONS',
  'SENSITIVE_DATA_MODIFICATION',
  'COMMUNICATION_TOOL',
  'ACCOUNT_CREATION',
  'DATA_MODIFICATION',
  'USER_CONSENT_MANAGEMENT',
  'LEGAL_TERMS_AND_AGREEMENTS',
];

/**
 * Which models have the tool, and which set of functions they speak. [VTX]: "The Computer Use model and
 * tool is only compatible with `gemini-3-flash-preview` or `gemini-3.5-flash`"; [CU]: legacy
 * `gemini-2.5-computer-use-preview-10-2025`; [REF] `LEGACY_COMPUTER_USE_MODELS` adds
 * `gemini-3.1-pro-preview`; "Gemini 3.5 Flash or later" [VTX] admits the later Flash models.
 */
function computerUseGeneration(model: string): 'current' | 'legacy' | undefined {
  if (
    ['gemini-2.5-computer-use-preview-10-2025', 'gemini-3-flash-preview', 'gemini-3.1-pro-preview'].includes(
      model,
    )
  )
    return 'legacy';
  const match = /^gemini-(\d+)\.(\d+)-flash/.exec(model);
  if (match && (Number(match[1]) > 3 || (Number(match[1]) === 3 && Number(match[2]) >= 5))) return 'current';
  return undefined;
}

/** Models that validate thought signatures strictly: "When using Gemini 3 models" [TS]. */
function validatesSignatures(model: string): boolean {
  return /^gemini-([3-9]|\d{2,})/.test(model);
}

interface ComputerUseOffer {
  generation: 'current' | 'legacy';
  environment: EnvironmentName;
  excluded: Set<string>;
  declared: Set<string>;
}

function offeredFunctions(offer: ComputerUseOffer): string[] {
  const byEnvironment = predefinedFunctions[offer.generation] as Partial<
    Record<EnvironmentName, readonly string[]>
  >;
  return [...(byEnvironment[offer.environment] ?? [])].filter((name) => !offer.excluded.has(name));
}

function isPredefinedCall(offer: ComputerUseOffer | undefined, name: string | undefined): boolean {
  return (
    offer !== undefined &&
    name !== undefined &&
    !offer.declared.has(name) &&
    offeredFunctions(offer).includes(name)
  );
}

const computerUseFields = new Set([
  'environment',
  'excludedPredefinedFunctions',
  'enablePromptInjectionDetection',
  'disabledSafetyPolicies',
]);

/** The tools of the request: the computer use tool's shape, and what the model supports. */
function checkTools(request: WireRequest): { error?: string; offer?: ComputerUseOffer } {
  const tools = request.tools ?? [];
  // FunctionDeclaration.name: "Must start with a letter or an underscore. Must be a-z, A-Z, 0-9, or
  // contain underscores, dots, colons and dashes, with a maximum length of 128."
  // (https://ai.google.dev/api/caching#FunctionDeclaration)
  for (const declaration of tools.flatMap((tool) => tool.functionDeclarations ?? [])) {
    if (!/^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/.test(declaration.name ?? ''))
      return { error: `Invalid function name: ${JSON.stringify(declaration.name)}.` };
  }
  const computerUse = tools.filter((tool) => tool.computerUse !== undefined);
  const declared = new Set(
    tools.flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name ?? ''),
  );
  if (computerUse.length === 0) return {};
  // One computer use tool: ComputerUse holds the one environment the request operates [SDK].
  if (computerUse.length > 1) return { error: 'At most one computer_use tool can be specified.' };
  const tool = computerUse[0]?.computerUse ?? {};
  // Unknown fields are refused as in every Google API's JSON parsing; the fields are those of [SDK].
  for (const field of Object.keys(tool)) {
    if (!computerUseFields.has(field))
      return {
        error: `Invalid JSON payload received. Unknown name "${field}" at 'tools[0].computer_use': Cannot find field.`,
      };
  }
  // "environment: Required. The environment being operated." [SDK]
  const environment = tool.environment;
  if (!environments.includes(environment as EnvironmentName))
    return {
      error: `computer_use.environment is required and must be one of ${environments.join(', ')}; got ${JSON.stringify(environment)}.`,
    };
  // The model must support the tool [VTX] "Supported models" / [CU].
  const generation = computerUseGeneration(request.model);
  if (!generation) return { error: `Computer Use is not supported for model models/${request.model}.` };
  // Desktop and mobile: "Gemini 3.5 Flash or later and mobile or desktop use cases" [VTX]; the legacy
  // functions are the browser's.
  if (generation === 'legacy' && environment !== 'ENVIRONMENT_BROWSER')
    return {
      error: `${environment} requires Gemini 3.5 Flash or later; models/${request.model} supports ENVIRONMENT_BROWSER only.`,
    };
  const offer: ComputerUseOffer = {
    generation,
    environment: environment as EnvironmentName,
    excluded: new Set(),
    declared,
  };
  // "specify these actions in the `excluded_predefined_functions`" [VTX]: actions from the list of
  // supported UI actions of this model and environment.
  const excluded = tool.excludedPredefinedFunctions;
  if (excluded !== undefined) {
    if (!Array.isArray(excluded) || !excluded.every((name) => typeof name === 'string'))
      return { error: 'computer_use.excluded_predefined_functions must be a list of function names.' };
    const known = offeredFunctions(offer);
    const unknown = excluded.find((name) => !known.includes(name));
    if (unknown)
      return {
        error: `excluded_predefined_functions: "${unknown}" is not a predefined function of ${environment} for models/${request.model}.`,
      };
    offer.excluded = new Set(excluded);
  }
  // The safety policies that can be disabled [CU] "Configuring safety policies".
  const disabled = tool.disabledSafetyPolicies;
  if (disabled !== undefined) {
    if (!Array.isArray(disabled) || !disabled.every((policy) => safetyPolicies.includes(String(policy))))
      return {
        error: `computer_use.disabled_safety_policies: expected values of ${safetyPolicies.join(', ')}.`,
      };
  }
  // A custom function replaces a predefined one only once that one is excluded: "exclude default
  // predefined actions and register custom actions" [CU] "Custom user-defined functions".
  const clash = offeredFunctions(offer).find((name) => declared.has(name));
  if (clash)
    return {
      error: `Function declaration "${clash}" has the name of a predefined computer use function; exclude it in excluded_predefined_functions first.`,
    };
  return { offer };
}

// ----- The conversation ------------------------------------------------------------------------------

type Call = NonNullable<WirePart['functionCall']>;
type Response = NonNullable<WirePart['functionResponse']>;

const imageTypes = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);

function hasScreenshot(response: Response): boolean {
  return (response.parts ?? []).some(
    (part) => imageTypes.has(part.inlineData?.mimeType ?? '') && (part.inlineData?.data ?? '') !== '',
  );
}

function requiresConfirmation(call: Call): boolean {
  const decision = (call.args?.safety_decision as { decision?: unknown } | undefined)?.decision;
  return decision === 'require_confirmation';
}

/** Pairs each call of a model turn with its response in the next turn, by id where the calls have ids, else in order. */
function pair(calls: Call[], responses: Response[]): Array<[Call, Response]> | string {
  const countError =
    'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
  if (calls.length !== responses.length) return countError;
  const pairs: Array<[Call, Response]> = [];
  const unanswered = [...responses];
  for (const call of calls) {
    const index = call.id
      ? unanswered.findIndex((response) => response.id === call.id)
      : unanswered.findIndex((response) => response.id === undefined);
    const response = unanswered[index];
    if (!response)
      return call.id
        ? `No function response answers the function call with id "${call.id}" (${call.name}).`
        : countError;
    if (response.name !== call.name)
      return `The function response "${response.name}" does not match the name of its function call "${call.name}".`;
    unanswered.splice(index, 1);
    pairs.push([call, response]);
  }
  return pairs;
}

/**
 * Checks a generateContent request; the message of the first rule it breaks, or undefined.
 */
export function checkRequest(request: WireRequest, issued: Issued): string | undefined {
  const contents = request.contents ?? [];
  if (contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified';
  const { error, offer } = checkTools(request);
  if (error) return error;

  // The current turn, where Gemini 3 checks signatures strictly: after the last user content that is
  // more than function responses [TS] "Strict validation ... all function calls within the current turn".
  let currentTurnStart = 0;
  contents.forEach((content, index) => {
    if (content.role === 'user' && (content.parts ?? []).some((part) => !part.functionResponse))
      currentTurnStart = index;
  });

  for (const [index, content] of contents.entries()) {
    if (content.role !== 'user' && content.role !== 'model')
      return `Please use a valid role: user, model. (contents[${index}].role: ${JSON.stringify(content.role)})`;
    const parts = content.parts ?? [];
    if (parts.length === 0) return `contents[${index}].parts must not be empty.`;
    for (const response of parts.flatMap((part) => (part.functionResponse ? [part.functionResponse] : []))) {
      // FunctionResponseBlob: "Required. The IANA standard MIME type of the source data." and "If an
      // unsupported MIME type is provided, an error will be returned."
      // (googleapis/google/ai/generativelanguage/v1beta/content.proto).
      for (const part of response.parts ?? []) {
        if (!part.inlineData)
          return `functionResponse.parts of "${response.name}": only inlineData is supported here.`;
        if (!imageTypes.has(part.inlineData.mimeType ?? ''))
          return `Unsupported MIME type: ${part.inlineData.mimeType ?? '(none)'} in functionResponse.parts of "${response.name}".`;
        if (!part.inlineData.data || !/^[A-Za-z0-9+/]+={0,2}$/.test(part.inlineData.data))
          return `functionResponse.parts of "${response.name}": inlineData.data must be base64.`;
      }
    }
  }

  for (const [index, content] of contents.entries()) {
    const parts = content.parts ?? [];
    const previous = contents[index - 1];
    const calls = parts.flatMap((part) => (part.functionCall ? [part.functionCall] : []));
    const responses = parts.flatMap((part) => (part.functionResponse ? [part.functionResponse] : []));

    if (content.role === 'model' && calls.length > 0) {
      // A real Gemini error (https://github.com/google-gemini/gemini-cli/issues/11814).
      if (previous?.role !== 'user')
        return 'Please ensure that function call turn comes immediately after a user turn or after a function response turn.';
      let firstCall = true;
      for (const part of parts) {
        const call = part.functionCall;
        if (!call) continue;
        // History goes back as the model sent it: "appending both model responses and your function
        // responses" [VTX] "Build an agent loop"; [REF] appends `candidate.content` unchanged.
        const sent = call.id ? issued.calls.get(call.id) : undefined;
        if (sent && (sent.name !== call.name || canonical(sent.args) !== canonical(call.args ?? {})))
          return `The function call with id "${call.id}" was changed: the model called ${sent.name} ${canonical(sent.args)}, the history says ${call.name} ${canonical(call.args ?? {})}.`;
        // Thought signatures go back unchanged: "you must pass back thought signatures during function
        // calling" [TS]; a made-up one is refused; the documented placeholder stands in only where the
        // model gave none.
        const expected = issued.signatures.get(callKey(call));
        const signature = part.thoughtSignature;
        const missing = `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${call.name}\` , position ${index + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
        if (expected && (signature === undefined || !expected.includes(signature))) {
          if (signature === undefined) return missing;
          return `Corrupted thought signature. (function call \`${call.name}\`, contents[${index}])`;
        }
        if (
          signature !== undefined &&
          !expected &&
          signature !== 'skip_thought_signature_validator' &&
          !issued.every.has(signature)
        )
          return `Corrupted thought signature. (function call \`${call.name}\`, contents[${index}])`;
        // Gemini 3: the first call of each step of the current turn carries one [TS].
        if (
          firstCall &&
          index > currentTurnStart &&
          validatesSignatures(request.model) &&
          signature === undefined
        )
          return missing;
        firstCall = false;
      }
      // "If multiple actions (parallel calls) were executed, you must send a FunctionResponse for each
      // one in the subsequent user turn." [VTX] "Capture the new state"; the API's own message
      // (https://github.com/google-gemini/gemini-cli/issues/16467).
      const next = contents[index + 1];
      if (next) {
        const answers = (next.role === 'user' ? (next.parts ?? []) : []).flatMap((part) =>
          part.functionResponse ? [part.functionResponse] : [],
        );
        const paired = pair(calls, answers);
        if (typeof paired === 'string') return paired;
        const newest = index + 1 === contents.length - 1;
        for (const [call, response] of paired) {
          const body = response.response;
          if (typeof body !== 'object' || body === null || Array.isArray(body))
            return `functionResponse.response of "${response.name}" must be a JSON object.`;
          // A screenshot goes back with each executed action, inside its FunctionResponse as
          // FunctionResponsePart(inline_data=FunctionResponseBlob(mime_type="image/png", ...)) [VTX]
          // "Capture the new state", [REF]. Required in the newest turn only: [REF] drops the
          // screenshots of older turns. A response reporting an error ran nothing to show.
          const predefined = isPredefinedCall(offer, call.name);
          if (predefined && newest && !('error' in body) && !hasScreenshot(response))
            return `The function response of computer use function "${call.name}" carries no screenshot: send it in functionResponse.parts as inlineData (image/png).`;
          // "If the user confirms, you must include the safety acknowledgement in your FunctionResponse":
          // safety_acknowledgement "true" [VTX] "Acknowledge safety decision". A call the person has not
          // confirmed is not executed and says so ("send a different form of feedback", [VTX] step 4).
          const acknowledgement = body.safety_acknowledgement;
          if (acknowledgement !== undefined && acknowledgement !== 'true')
            return `safety_acknowledgement must be the string "true"; got ${JSON.stringify(acknowledgement)}.`;
          if (predefined && requiresConfirmation(call)) {
            if (acknowledgement === undefined && !('error' in body))
              return `The function call "${call.name}" required confirmation (safety_decision require_confirmation): its response must carry safety_acknowledgement "true" once a person confirmed it, or report that it was not executed.`;
            if (acknowledgement === undefined && newest && hasScreenshot(response))
              return `The function call "${call.name}" required confirmation and was executed, but its response carries no safety_acknowledgement.`;
          }
        }
      }
    }

    if (responses.length > 0) {
      // A real Gemini error (https://github.com/langchain-ai/langchain/issues/27799).
      const answered = (previous?.parts ?? []).some((part) => part.functionCall);
      if (content.role !== 'user' || previous?.role !== 'model' || !answered)
        return 'Please ensure that function response turn comes immediately after a function call turn.';
    }
  }
  return undefined;
}

/** The predefined functions the request offers (for the server's check of its own script). */
export function offeredPredefinedFunctions(request: WireRequest): string[] {
  const { offer } = checkTools(request);
  return offer ? offeredFunctions(offer) : [];
}
