import { createAnthropic } from './anthropic/create-anthropic.ts';
import type { ModelProvider } from './model-provider.ts';

export interface ModelDescription {
  provider: string;
  name: string;
  title: string;
  default: boolean;
}

type Source = Record<string, string | undefined>;

/** The Claude model tasks use unless they name another; ANTHROPIC_MODEL overrides it. */
export const defaultAnthropicModel = 'claude-sonnet-4-5';

/** The models this agent can use, from the providers' keys in the environment. */
export class ModelCatalog {
  private readonly providers = new Map<string, ModelProvider>();
  private readonly defaultModel: string | undefined;

  constructor(source: Source = process.env) {
    const apiKey = source.ANTHROPIC_API_KEY?.trim();
    if (apiKey) {
      const models = (source.ANTHROPIC_MODELS ?? source.ANTHROPIC_MODEL ?? defaultAnthropicModel)
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      for (const model of models) {
        this.providers.set(
          model,
          createAnthropic({ apiKey, baseUrl: source.ANTHROPIC_BASE_URL?.trim() || undefined, model }),
        );
      }
      this.defaultModel = models[0];
    }
  }

  list(): ModelDescription[] {
    return [...this.providers.values()].map((provider) => ({
      provider: provider.provider,
      name: provider.model,
      title: provider.model,
      default: provider.model === this.defaultModel,
    }));
  }

  has(model: string): boolean {
    return this.providers.has(model);
  }

  resolve(model: string | null): { provider: ModelProvider } | { error: string } {
    if (this.providers.size === 0) {
      return {
        error:
          'no model is configured: set ANTHROPIC_API_KEY (and optionally ANTHROPIC_MODEL) and restart the agent',
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
