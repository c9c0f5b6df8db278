import type { ModelProvider, ModelRequest, ModelResponse } from '../../model-provider.ts';
import { screenshotEncodings } from '../../screenshot-encoding.ts';
import { type OpenAISettings, openAIClient, translateError } from '../openai-client.ts';
import { convertPrompt } from './convert-prompt.ts';
import { parseResponse } from './parse-response.ts';
import { openAIComputerScreenshotLimit } from './screenshot-limit.ts';

/**
 * An OpenAI computer-use model with its native `computer` tool, on the Responses API through the
 * official SDK (https://developers.openai.com/api/docs/guides/tools-computer-use). Stateless: every
 * request carries the whole conversation and nothing is stored at OpenAI (store: false), so a task
 * survives a restart of the agent and needs no response ids.
 */
export function createOpenAIResponses(settings: OpenAISettings): ModelProvider {
  const client = openAIClient({ ...settings, provider: 'openai' });
  return {
    provider: 'openai',
    model: settings.model,
    computerTool: {
      tool: 'computer',
      description:
        "OpenAI's computer tool on the Responses API: batched actions on screenshots at original detail",
    },
    screenshotLimit: openAIComputerScreenshotLimit,
    screenshotEncoding: screenshotEncodings.openaiResponses,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      try {
        const response = await client.responses.create(convertPrompt(request, { model: settings.model }), {
          ...(request.signal ? { signal: request.signal } : {}),
        });
        return parseResponse(response);
      } catch (error) {
        throw translateError(error, 'openai', client.baseURL);
      }
    },
  };
}
