import Anthropic from '@anthropic-ai/sdk';
import { ModelError } from '../model-error.ts';
import type { ModelProvider, ModelRequest, ModelResponse } from '../model-provider.ts';
import { screenshotLimits } from '../screen-scaling.ts';
import { screenshotEncodings } from '../screenshot-encoding.ts';
import { claudeComputerTool } from './claude-computer-tools.ts';
import { convertPrompt } from './convert-prompt.ts';
import { parseResponse } from './parse-response.ts';

export interface AnthropicSettings {
  apiKey: string;
  /** ANTHROPIC_BASE_URL; the SDK's default when undefined. */
  baseUrl?: string | undefined;
  model: string;
  /** Retries of 408/409/429/5xx (529 overloaded included), with the SDK's backoff and retry-after. */
  maxRetries?: number;
  timeoutMs?: number;
  /**
   * How long the answer may go without a sign of life (no first byte, then no event of the stream)
   * before the call is given up as silent and tried again by the loop.
   */
  idleMs?: number;
}

function translateError(error: unknown): unknown {
  if (error instanceof Anthropic.APIConnectionError) {
    return new ModelError(`could not reach the Anthropic API: ${error.message}`, undefined, true);
  }
  if (!(error instanceof Anthropic.APIError)) return error;
  const status = error.status;
  // The API's own words (the SDK's message puts the status and the JSON body in front of them).
  const body = error.error as { error?: { message?: unknown } } | undefined;
  const detail = typeof body?.error?.message === 'string' ? body.error.message : error.message;
  if (status === 401) {
    return new ModelError(
      `Anthropic rejected the API key (401): check ANTHROPIC_API_KEY. ${detail}`,
      401,
      false,
    );
  }
  if (status === 400) {
    return new ModelError(`Anthropic refused the request (400): ${detail}`, 400, false);
  }
  if (status === 403) return new ModelError(`Anthropic refused the request (403): ${detail}`, 403, false);
  if (status === 404)
    return new ModelError(`Anthropic does not know this model (404): ${detail}`, 404, false);
  const retryable =
    status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
  return new ModelError(`Anthropic API error (${status ?? 'no status'}): ${detail}`, status, retryable);
}

/** Claude through the official SDK, with the computer tool its model takes (claude-computer-tools.ts). */
export function createAnthropic(settings: AnthropicSettings): ModelProvider {
  const tool = claudeComputerTool(settings.model);
  const client = new Anthropic({
    apiKey: settings.apiKey,
    ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    maxRetries: settings.maxRetries ?? 4,
    timeout: settings.timeoutMs ?? 120_000,
  });
  return {
    provider: 'anthropic',
    model: settings.model,
    computerTool: {
      tool: tool.type,
      description:
        tool.kind === 'toolset'
          ? 'the computer use toolset, several actions a turn'
          : `the beta computer tool (${tool.beta}), one action a turn`,
    },
    screenshotLimit: tool.highResolution
      ? screenshotLimits.claudeHighResolution
      : screenshotLimits.claudeStandard,
    screenshotEncoding: screenshotEncodings.anthropic,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      // Streamed, so that a server that accepted the request and went quiet is noticed within idleMs,
      // not after the whole request timeout and every retry (the API sends a ping event while it thinks).
      const idleMs = settings.idleMs ?? 60_000;
      const controller = new AbortController();
      const stop = () => controller.abort();
      request.signal?.addEventListener('abort', stop, { once: true });
      let silent = false;
      let timer = setTimeout(quiet, idleMs);
      function quiet() {
        silent = true;
        controller.abort();
      }
      try {
        const stream = client.beta.messages.stream(convertPrompt(request, settings.model), {
          signal: controller.signal,
        });
        stream.on('streamEvent', () => {
          clearTimeout(timer);
          timer = setTimeout(quiet, idleMs);
        });
        return parseResponse(await stream.finalMessage());
      } catch (error) {
        if (silent && !request.signal?.aborted) {
          throw new ModelError(
            `the Anthropic API sent nothing for ${Math.round(idleMs / 1000)} s (no answer, no event of the stream)`,
            undefined,
            true,
          );
        }
        throw translateError(error);
      } finally {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', stop);
      }
    },
  };
}
