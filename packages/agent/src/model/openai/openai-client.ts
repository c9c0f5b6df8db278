import OpenAI from 'openai';
import { ModelError } from '../model-error.ts';

export interface OpenAISettings {
  apiKey: string;
  /** OPENAI_BASE_URL (or OPENAI_COMPATIBLE_BASE_URL, ending in /v1); the SDK's default when undefined. */
  baseUrl?: string | undefined;
  model: string;
  /** 'openai' (the default), or 'openai-compatible' for a local vLLM, Ollama, LM Studio or LiteLLM server. */
  provider?: string;
  /** Retries of connection errors and 408/409/429/5xx, with the SDK's backoff and retry-after. */
  maxRetries?: number;
  timeoutMs?: number;
}

/** The official SDK's client, for either API (Chat Completions or Responses). */
export function openAIClient(settings: OpenAISettings): OpenAI {
  const provider = settings.provider ?? 'openai';
  return new OpenAI({
    apiKey: settings.apiKey,
    ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    // The SDK reads OPENAI_ORG_ID and OPENAI_PROJECT_ID; they mean nothing to another server.
    ...(provider === 'openai' ? {} : { organization: null, project: null }),
    maxRetries: settings.maxRetries ?? 4,
    timeout: settings.timeoutMs ?? 120_000,
  });
}

interface Naming {
  /** Who answered, as a sentence starts. */
  who: string;
  keyVariable: string;
  urlVariable: string;
}

function naming(provider: string): Naming {
  return provider === 'openai-compatible'
    ? {
        who: 'The OpenAI-compatible server',
        keyVariable: 'OPENAI_COMPATIBLE_API_KEY',
        urlVariable: 'OPENAI_COMPATIBLE_BASE_URL',
      }
    : { who: 'OpenAI', keyVariable: 'OPENAI_API_KEY', urlVariable: 'OPENAI_BASE_URL' };
}

/** The API's own message, without the status the SDK puts in front of it. */
function detailOf(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : error.message;
}

/**
 * An SDK error in our words, after the SDK's own retries: whether asking again may help (408, 409, 429,
 * 5xx, no connection) or never will (400, 401, 403, 404), with the API's own message.
 */
export function translateError(error: unknown, provider: string, baseUrl: string): unknown {
  const names = naming(provider);
  // An abort is the loop's own doing (a cancel): it looks at its signal, not at this error.
  if (error instanceof OpenAI.APIUserAbortError) return error;
  if (error instanceof OpenAI.APIConnectionError) {
    return new ModelError(`could not reach ${names.who} at ${baseUrl}: ${error.message}`, undefined, true);
  }
  if (!(error instanceof OpenAI.APIError)) return error;
  const status = error.status;
  const detail = detailOf(error);
  if (status === 401) {
    return new ModelError(
      `${names.who} rejected the API key (401): check ${names.keyVariable}. ${detail}`,
      401,
      false,
    );
  }
  if (status === 403) return new ModelError(`${names.who} refused the request (403): ${detail}`, 403, false);
  if (status === 404) {
    return new ModelError(
      `${names.who} does not know this model or route (404; ${names.urlVariable} usually ends in /v1): ${detail}`,
      404,
      false,
    );
  }
  const retryable =
    status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
  return new ModelError(`${names.who} API error (${status ?? 'no status'}): ${detail}`, status, retryable);
}
