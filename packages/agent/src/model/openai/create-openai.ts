import type { ModelProvider, ModelRequest, ModelResponse } from '../model-provider.ts';
import { screenshotLimits } from '../screen-scaling.ts';
import { screenshotEncodings } from '../screenshot-encoding.ts';
import { convertPrompt } from './convert-prompt.ts';
import { type OpenAISettings, openAIClient, translateError } from './openai-client.ts';
import { openAIComputerTool } from './openai-computer-tools.ts';
import { parseResponse } from './parse-response.ts';
import { createOpenAIResponses } from './responses/create-openai-responses.ts';

export type { OpenAISettings } from './openai-client.ts';

/**
 * A GPT model, or any server speaking OpenAI's Chat Completions API. OpenAI's computer-use models get
 * their native `computer` tool on the Responses API; every other model, and every OpenAI-compatible
 * server, gets our computer actions as Chat Completions function tools (openai-computer-tools.ts decides).
 */
export function createOpenAI(settings: OpenAISettings): ModelProvider {
  const provider = settings.provider ?? 'openai';
  return openAIComputerTool(settings.model, provider) === 'computer'
    ? createOpenAIResponses(settings)
    : createOpenAIChat(settings);
}

/**
 * Chat Completions through the official SDK. There is no native computer tool on it: our computer
 * actions are offered as function tools.
 */
export function createOpenAIChat(settings: OpenAISettings): ModelProvider {
  const provider = settings.provider ?? 'openai';
  const client = openAIClient(settings);
  return {
    provider,
    model: settings.model,
    computerTool: { tool: 'function tools', description: 'our computer actions as function tools' },
    screenshotLimit: screenshotLimits.openai,
    screenshotEncoding: screenshotEncodings.openaiCompatible,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      try {
        const completion = await client.chat.completions.create(
          convertPrompt(request, { model: settings.model, provider }),
          { ...(request.signal ? { signal: request.signal } : {}) },
        );
        return parseResponse(completion);
      } catch (error) {
        throw translateError(error, provider, client.baseURL);
      }
    },
  };
}
