import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, GoogleGenAI } from '@google/genai';
import { ModelError } from '../model-error.ts';
import type { ModelProvider, ModelRequest, ModelResponse } from '../model-provider.ts';
import { screenshotLimits } from '../screen-scaling.ts';
import { screenshotEncodings } from '../screenshot-encoding.ts';
import { computerUseScreenshotLimit, geminiComputerTool } from './computer-use-models.ts';
import { convertPrompt } from './convert-prompt.ts';
import { parseResponse } from './parse-response.ts';

export interface GeminiSettings {
  apiKey: string;
  /** GEMINI_BASE_URL; Google's endpoint when undefined. A trailing API version (/v1beta) is taken as such. */
  baseUrl?: string | undefined;
  model: string;
  /** Retries of 408/409/429/5xx and of malformed function calls, with backoff and the server's retry delay. */
  maxRetries?: number;
  /** Per attempt. */
  timeoutMs?: number;
}

/**
 * The Gemini API version we speak. SDK v3 defaults to v1; the Gemini API's documentation of function
 * calling, `parametersJsonSchema` and thought signatures is written against v1beta, as every SDK before
 * it was. Pinned so the path does not move with the SDK or GOOGLE_GENAI_API_VERSION.
 */
const defaultApiVersion = 'v1beta';
/** A server asking for a longer pause than this gets no more tries from us: the task fails, retryable. */
const longestWaitMs = 60_000;

interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string }>;
  };
}

/** The SDK's ApiError carries the response body, JSON-encoded, as its message. */
function errorBody(error: ApiError): GoogleErrorBody['error'] {
  try {
    return (JSON.parse(error.message) as GoogleErrorBody).error;
  } catch {
    return undefined;
  }
}

/** Google sends "35s" or "0.5s" in a RetryInfo detail. */
function retryInfoDelay(body: GoogleErrorBody['error']): number | undefined {
  const delay = body?.details?.find((detail) =>
    detail['@type']?.endsWith('google.rpc.RetryInfo'),
  )?.retryDelay;
  const seconds = delay === undefined ? Number.NaN : Number.parseFloat(delay);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

function retryAfterHeader(headers: Headers): number | undefined {
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.round(milliseconds);
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

class GeminiError extends ModelError {
  constructor(
    message: string,
    status: number | undefined,
    retryable: boolean,
    /** How long the server asked us to wait before trying again. */
    readonly retryAfterMs?: number | undefined,
  ) {
    super(message, status, retryable);
  }
}

function isConnectionError(error: unknown): boolean {
  return error instanceof TypeError && (error.message === 'fetch failed' || error.cause !== undefined);
}

function translateError(
  error: unknown,
  context: { model: string; timeoutMs: number; retryAfterMs: number | undefined },
): unknown {
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new GeminiError(`Gemini did not answer within ${context.timeoutMs} ms`, undefined, true);
  }
  if (isConnectionError(error)) {
    const cause = (error as Error).cause;
    const detail = cause instanceof Error ? cause.message : (error as Error).message;
    return new GeminiError(`could not reach the Gemini API: ${detail}`, undefined, true);
  }
  if (!(error instanceof ApiError)) return error;
  const status = error.status;
  const body = errorBody(error);
  const detail = body?.message ?? error.message;
  const code = body?.status ? ` ${body.status}` : '';
  const keyInvalid =
    body?.details?.some((item) => item.reason === 'API_KEY_INVALID') || /API key not valid/i.test(detail);
  // The Gemini API answers a wrong key with 400 INVALID_ARGUMENT (reason API_KEY_INVALID), not 401.
  if (status === 401 || keyInvalid) {
    return new GeminiError(
      `Gemini rejected the API key (${status}${code}): check GEMINI_API_KEY. ${detail}`,
      status,
      false,
    );
  }
  if (status === 403) {
    return new GeminiError(
      `Gemini refused the request (403${code}): check that GEMINI_API_KEY may use the Gemini API and this model. ${detail}`,
      403,
      false,
    );
  }
  if (status === 404) {
    return new GeminiError(
      `Gemini does not know the model "${context.model}" (404${code}): check GEMINI_MODEL. ${detail}`,
      404,
      false,
    );
  }
  const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
  return new GeminiError(
    `Gemini API error (${status}${code}): ${detail}`,
    status,
    retryable,
    context.retryAfterMs ?? retryInfoDelay(body),
  );
}

/** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s, ..., at most 8 s. */
function backoff(attempt: number): number {
  const base = Math.min(8_000, 500 * 2 ** (attempt - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

function split(baseUrl: string | undefined): { baseUrl?: string; apiVersion: string } {
  if (!baseUrl) return { apiVersion: defaultApiVersion };
  const match = /^(.*?)\/(v\d+(?:alpha|beta)?\d*)\/*$/.exec(baseUrl);
  if (match?.[1] && match[2]) return { baseUrl: match[1], apiVersion: match[2] };
  return { baseUrl, apiVersion: defaultApiVersion };
}

/**
 * Gemini through the official SDK (@google/genai): Gemini's own computer use tool for the models that
 * have it (computer-use-models.ts), our computer actions as function tools for the others.
 *
 * Retries are ours, not the SDK's: its `retryOptions` (p-retry) ignore Retry-After and Google's
 * RetryInfo, and the ApiError it throws keeps no headers, so each attempt's fetch notes them.
 */
export function createGemini(settings: GeminiSettings): ModelProvider {
  const timeoutMs = settings.timeoutMs ?? 120_000;
  const tries = 1 + Math.max(0, settings.maxRetries ?? 3);
  const client = new GoogleGenAI({
    apiKey: settings.apiKey,
    // The Gemini API, whatever GOOGLE_GENAI_USE_VERTEXAI says.
    vertexai: false,
    httpOptions: { ...split(settings.baseUrl), timeout: timeoutMs },
  });
  const tool = geminiComputerTool(settings.model);
  return {
    provider: 'gemini',
    computerTool:
      tool.kind === 'computer-use'
        ? {
            tool: 'computer_use',
            description:
              tool.actions === 'current'
                ? "Gemini's computer use tool, desktop environment"
                : "Gemini's computer use tool, legacy actions in the browser environment without its browser-only actions",
          }
        : { tool: 'function tools', description: 'our computer actions as function tools' },
    screenshotLimit: tool.kind === 'computer-use' ? computerUseScreenshotLimit : screenshotLimits.gemini,
    screenshotEncoding: screenshotEncodings.gemini,
    model: settings.model,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const parameters = convertPrompt(request, settings.model, tool);
      const computerUse =
        tool.kind === 'computer-use'
          ? { picture: request.screen, functions: new Set(request.tools.map((declared) => declared.name)) }
          : undefined;
      for (let attempt = 1; ; attempt += 1) {
        let retryAfterMs: number | undefined;
        const noteRetryAfter: typeof fetch = async (input, init) => {
          const response = await fetch(input, init);
          if (!response.ok) retryAfterMs = retryAfterHeader(response.headers);
          return response;
        };
        let failure: GeminiError;
        try {
          const response = await client.models.generateContent({
            ...parameters,
            config: { ...parameters.config, httpOptions: { fetch: noteRetryAfter } },
          });
          const { finishReason, ...parsed } = parseResponse(response, computerUse);
          // A garbled call is a bad sample, not a bad request: asking again usually gets a good one.
          if (finishReason !== 'MALFORMED_FUNCTION_CALL' || parsed.toolCalls.length > 0) return parsed;
          failure = new GeminiError(
            `Gemini sent a malformed function call ${attempt} time(s) in a row`,
            undefined,
            true,
          );
        } catch (error) {
          if (request.signal?.aborted) throw error;
          const translated = translateError(error, { model: settings.model, timeoutMs, retryAfterMs });
          if (!(translated instanceof GeminiError) || !translated.retryable) throw translated;
          failure = translated;
        }
        const wait = failure.retryAfterMs ?? backoff(attempt);
        if (attempt >= tries || wait > longestWaitMs) throw failure;
        await sleep(wait, undefined, request.signal ? { signal: request.signal } : {});
      }
    },
  };
}
