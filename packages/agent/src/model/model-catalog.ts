import { ConfigurationError } from '@bytebot/config';
import { createAnthropic } from './anthropic/create-anthropic.ts';
import { createGemini } from './gemini/create-gemini.ts';
import type { ModelProvider } from './model-provider.ts';
import { createOpenAI } from './openai/create-openai.ts';

export interface ModelDescription {
  provider: string;
  name: string;
  title: string;
  default: boolean;
  /** The computer tool the model gets (`computer_toolset_20260801`, `computer_20250124`, `computer` ...). */
  tool: string;
  /** The same in words. */
  toolDescription: string;
}

type Source = Record<string, string | undefined>;

/** The Claude model tasks use unless they name another; ANTHROPIC_MODEL overrides it. */
export const defaultAnthropicModel = 'claude-sonnet-5-5';
/**
 * The GA model of OpenAI's computer guide ("Migration from computer-use-preview": `model: "gpt-5.5"`,
 * https://developers.openai.com/api/docs/guides/tools-computer-use), with the native `computer` tool on
 * the Responses API (openai/openai-computer-tools.ts); gpt-5 is deprecated (shutdown 2026-12-11).
 */
export const defaultOpenAIModel = 'gpt-5.5';
/**
 * Google's recommended computer use model ("Gemini 3.5 Flash is the recommended model for Computer Use",
 * https://ai.google.dev/gemini-api/docs/computer-use), with its native tool on the desktop;
 * gemini-2.5-pro is deprecated (https://ai.google.dev/gemini-api/docs/deprecations).
 */
export const defaultGeminiModel = 'gemini-3.5-flash';

/** BYTEBOT_MODEL_IDLE_MS: how long a model's answer may stay silent before it is given up (default 60 s). */
function idleMilliseconds(source: Source): number {
  const text = value(source, 'BYTEBOT_MODEL_IDLE_MS');
  if (text === undefined) return 60_000;
  const milliseconds = Number(text);
  if (!Number.isInteger(milliseconds) || milliseconds < 100) {
    throw new ConfigurationError(
      'BYTEBOT_MODEL_IDLE_MS',
      `expected a whole number of at least 100, got "${text}"`,
    );
  }
  return milliseconds;
}

function list(text: string | undefined, fallback: string | undefined): string[] {
  return (text ?? fallback ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function value(source: Source, name: string): string | undefined {
  return source[name]?.trim() || undefined;
}

/**
 * The models this agent can use, from the providers' keys in the environment. The first configured
 * one is the default (Anthropic, then OpenAI, then Gemini, then an OpenAI-compatible server).
 */
export class ModelCatalog {
  private readonly providers = new Map<string, ModelProvider>();
  private readonly defaultModel: string | undefined;

  constructor(source: Source = process.env) {
    const add = (models: string[], create: (model: string) => ModelProvider) => {
      for (const model of models) if (!this.providers.has(model)) this.providers.set(model, create(model));
    };
    const anthropicKey = value(source, 'ANTHROPIC_API_KEY');
    if (anthropicKey) {
      add(
        list(value(source, 'ANTHROPIC_MODELS'), value(source, 'ANTHROPIC_MODEL') ?? defaultAnthropicModel),
        (model) =>
          createAnthropic({
            apiKey: anthropicKey,
            baseUrl: value(source, 'ANTHROPIC_BASE_URL'),
            model,
            idleMs: idleMilliseconds(source),
          }),
      );
    }
    const openaiKey = value(source, 'OPENAI_API_KEY');
    if (openaiKey) {
      add(
        list(value(source, 'OPENAI_MODELS'), value(source, 'OPENAI_MODEL') ?? defaultOpenAIModel),
        (model) => createOpenAI({ apiKey: openaiKey, baseUrl: value(source, 'OPENAI_BASE_URL'), model }),
      );
    }
    const geminiKey = value(source, 'GEMINI_API_KEY');
    if (geminiKey) {
      add(
        list(value(source, 'GEMINI_MODELS'), value(source, 'GEMINI_MODEL') ?? defaultGeminiModel),
        (model) => createGemini({ apiKey: geminiKey, baseUrl: value(source, 'GEMINI_BASE_URL'), model }),
      );
    }
    // A local vLLM, Ollama, LM Studio or LiteLLM server: its URL and the models it serves; a key only if it wants one.
    const compatibleUrl = value(source, 'OPENAI_COMPATIBLE_BASE_URL');
    if (compatibleUrl) {
      add(
        list(value(source, 'OPENAI_COMPATIBLE_MODELS'), value(source, 'OPENAI_COMPATIBLE_MODEL')),
        (model) =>
          createOpenAI({
            apiKey: value(source, 'OPENAI_COMPATIBLE_API_KEY') ?? 'not-needed',
            baseUrl: compatibleUrl,
            model,
            provider: 'openai-compatible',
          }),
      );
    }
    this.defaultModel = value(source, 'BYTEBOT_DEFAULT_MODEL') ?? this.providers.keys().next().value;
  }

  list(): ModelDescription[] {
    return [...this.providers.values()].map((provider) => ({
      provider: provider.provider,
      name: provider.model,
      title: `${provider.model} (${provider.provider})`,
      default: provider.model === this.defaultModel,
      tool: provider.computerTool.tool,
      toolDescription: provider.computerTool.description,
    }));
  }

  has(model: string): boolean {
    return this.providers.has(model);
  }

  resolve(model: string | null): { provider: ModelProvider } | { error: string } {
    if (this.providers.size === 0) {
      return {
        error:
          'no model is configured: set ANTHROPIC_API_KEY (or OPENAI_API_KEY, GEMINI_API_KEY, OPENAI_COMPATIBLE_BASE_URL) and restart the agent',
      };
    }
    const name = model ?? this.defaultModel;
    const provider = name === undefined ? undefined : this.providers.get(name);
    if (!provider) {
      return {
        error: `model "${name}" is not configured; configured: ${[...this.providers.keys()].join(', ')}`,
      };
    }
    return { provider };
  }
}
