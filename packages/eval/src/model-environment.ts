/**
 * The scripted stand-ins for Claude: `scripted` plays each task's own solution (and refuses a task that
 * cannot be done), `no-op` claims success at once, `write-file` only writes the task's expected files with
 * write_file (its shortcut) and claims success. The last two must pass nothing.
 */
export const standInProviders = ['scripted', 'no-op', 'write-file'] as const;
export type StandInProvider = (typeof standInProviders)[number];

/** Providers the runner can evaluate: the four the agent speaks to, and the stand-ins. */
export const evalProviders = [
  ...standInProviders,
  'anthropic',
  'openai',
  'gemini',
  'openai-compatible',
] as const;
export type EvalProvider = (typeof evalProviders)[number];

export function isStandIn(provider: EvalProvider): provider is StandInProvider {
  return (standInProviders as readonly string[]).includes(provider);
}

/** The model the scripted stand-ins pretend to be (it sets the computer tool's version and the prices). */
export const scriptedModel = 'claude-sonnet-5-5';

const keys: Record<string, string> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  gemini: 'GEMINI_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_BASE_URL',
};
const modelLists: Record<string, string> = {
  anthropic: 'ANTHROPIC_MODELS',
  openai: 'OPENAI_MODELS',
  gemini: 'GEMINI_MODELS',
  'openai-compatible': 'OPENAI_COMPATIBLE_MODELS',
};

/**
 * The agent's environment for one provider and model: that provider only (the others' keys blanked, so
 * a run never spends on a provider it did not name), the model as the only and default one.
 */
export function modelEnvironment(
  provider: EvalProvider,
  model: string,
  source: NodeJS.ProcessEnv,
  scriptedUrl?: string,
): Record<string, string> {
  const cleared: Record<string, string> = {
    ANTHROPIC_API_KEY: '',
    OPENAI_API_KEY: '',
    GEMINI_API_KEY: '',
    OPENAI_COMPATIBLE_BASE_URL: '',
    BYTEBOT_DEFAULT_MODEL: model,
  };
  if (isStandIn(provider)) {
    if (!scriptedUrl) throw new Error('the scripted model server is not running');
    return {
      ...cleared,
      ANTHROPIC_API_KEY: 'scripted-model',
      ANTHROPIC_BASE_URL: scriptedUrl,
      ANTHROPIC_MODELS: model,
    };
  }
  const key = keys[provider] as string;
  const value = source[key]?.trim();
  if (!value) throw new Error(`--provider ${provider}: set ${key} in the environment`);
  return { ...cleared, [key]: value, [modelLists[provider] as string]: model };
}
