import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentClient } from '@bytebot/client';
import type { RunningDesktop } from '@bytebot/desktop';
import { type AgentProcess, startAgentProcess } from './agent-process.ts';
import type { BytebotdProcess } from './bytebotd-process.ts';
import { type ScriptedAnthropicServer, startScriptedAnthropicServer } from './scripted-anthropic-server.ts';
import { type ScriptedGeminiServer, startScriptedGeminiServer } from './scripted-gemini-server.ts';
import {
  type ScriptedOpenAIResponsesServer,
  startScriptedOpenAIResponsesServer,
} from './scripted-openai-responses-server.ts';
import { type ScriptedOpenAIServer, startScriptedOpenAIServer } from './scripted-openai-server.ts';
import { createTestDatabase } from './test-database.ts';
import { startTestDesktop, type TestDesktop, type TestDesktopOptions } from './test-desktop.ts';

/** The stand-in that speaks each provider's wire protocol, for the real SDK to be pointed at. */
export interface ScriptedModelServers {
  anthropic: ScriptedAnthropicServer;
  /** OpenAI's Chat Completions with function tools (models before the computer tool; gpt-test unless told). */
  openai: ScriptedOpenAIServer;
  /** A local OpenAI-compatible server (Chat Completions; local-model unless told). */
  'openai-compatible': ScriptedOpenAIServer;
  /** OpenAI's Responses API with the computer tool (the agent's default OpenAI model unless told). */
  'openai-responses': ScriptedOpenAIResponsesServer;
  gemini: ScriptedGeminiServer;
  /** No model configured: every task fails at once, naming the variable to set. */
  none: undefined;
}
export type ModelProviderName = keyof ScriptedModelServers;
export type ScriptedProviderName = Exclude<ModelProviderName, 'none'>;

/** Every model setting the agent reads, empty: a machine's own keys never add a second model to a test. */
const noModels: Record<string, string> = Object.fromEntries(
  [
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_BASE_URL',
    'ANTHROPIC_MODEL',
    'ANTHROPIC_MODELS',
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'OPENAI_MODEL',
    'OPENAI_MODELS',
    'OPENAI_COMPATIBLE_BASE_URL',
    'OPENAI_COMPATIBLE_MODEL',
    'OPENAI_COMPATIBLE_MODELS',
    'OPENAI_COMPATIBLE_API_KEY',
    'GEMINI_API_KEY',
    'GEMINI_BASE_URL',
    'GEMINI_MODEL',
    'GEMINI_MODELS',
    'BYTEBOT_DEFAULT_MODEL',
  ].map((name) => [name, '']),
);

/** Starts the stand-in of one provider, e.g. to share it between the fixtures of several tests. */
export async function startScriptedModel<Provider extends ModelProviderName>(
  provider: Provider,
): Promise<ScriptedModelServers[Provider]> {
  const servers: { [Name in ModelProviderName]: () => Promise<ScriptedModelServers[Name]> } = {
    anthropic: () => startScriptedAnthropicServer(),
    openai: () => startScriptedOpenAIServer(),
    'openai-compatible': () => startScriptedOpenAIServer(),
    'openai-responses': () => startScriptedOpenAIResponsesServer(),
    gemini: () => startScriptedGeminiServer(),
    none: async () => undefined,
  };
  return servers[provider]();
}

/** The agent's settings for one provider's stand-in at `url`, and that provider only. */
function modelEnvironment(
  provider: ModelProviderName,
  url: string | undefined,
  model: string | undefined,
): Record<string, string> {
  const named = (variable: string, fallback?: string): Record<string, string> => {
    const name = model ?? fallback;
    return name === undefined ? {} : { [variable]: name };
  };
  switch (provider) {
    case 'anthropic':
      return {
        ANTHROPIC_API_KEY: 'sk-ant-test-key',
        ANTHROPIC_BASE_URL: url ?? '',
        ...named('ANTHROPIC_MODEL'),
      };
    case 'openai':
      return {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: `${url}/v1`,
        ...named('OPENAI_MODEL', 'gpt-test'),
      };
    case 'openai-compatible':
      return {
        OPENAI_COMPATIBLE_BASE_URL: `${url}/v1`,
        ...named('OPENAI_COMPATIBLE_MODEL', 'local-model'),
      };
    case 'openai-responses':
      return { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${url}/v1`, ...named('OPENAI_MODEL') };
    case 'gemini':
      return { GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: url ?? '', ...named('GEMINI_MODEL') };
    case 'none':
      return {};
  }
}

export interface AgentFixtureOptions<Provider extends ModelProviderName> {
  /** Whose stand-in the agent's model talks to; Anthropic's if omitted. */
  provider?: Provider;
  /** The model's name (ANTHROPIC_MODEL, OPENAI_MODEL ...); the provider's default if omitted. */
  model?: string;
  /** A stand-in already running (shared between tests, or between two agents), left running by stop(). */
  scriptedModel?: ScriptedModelServers[Provider];
  /** A desktop already running (left running by stop()), or how to start one (XFCE unless told). */
  desktop?: TestDesktop | TestDesktopOptions;
  /** PGlite and the in-process queue (the default), or a PostgreSQL database and a BullMQ queue of its own. */
  storage?: 'embedded' | 'postgres';
  /** More of the agent's environment, over the model's settings. */
  environment?: Record<string, string>;
  /** The agent's data folder; a new temporary one if omitted. */
  dataDirectory?: string;
  /** The token the agent sends to bytebotd and asks of its callers; bytebotd's own if omitted. */
  token?: string;
}

/** A desktop, a scripted model and an agent driving the one with the other. */
export interface AgentFixture<Provider extends ModelProviderName = 'anthropic'> {
  desktop: RunningDesktop;
  bytebotd: BytebotdProcess;
  /** The desktop and its bytebotd, to hand to another fixture. */
  testDesktop: TestDesktop;
  /** The stand-in: play() its steps, read the requests it got. */
  model: ScriptedModelServers[Provider];
  agent: AgentProcess;
  /** The agent's typed client, with the token. */
  client: AgentClient;
  dataDirectory: string;
  /**
   * Another agent on the same desktop and model, with the same settings and data folder unless told
   * otherwise (a restart after a crash, a second model); stop() stops it too.
   */
  startAgent(options?: {
    environment?: Record<string, string>;
    dataDirectory?: string;
  }): Promise<AgentProcess>;
  /** Stops the agents, and the model, desktop and database the fixture started itself. */
  stop(): Promise<void>;
}

/**
 * Starts what an end-to-end test of the agent needs: a desktop of its own (or a shared one), a scripted
 * model server speaking the provider's wire protocol (or a shared one), and the agent as its own process,
 * configured for that model only.
 */
export async function startAgentFixture<Provider extends ModelProviderName = 'anthropic'>(
  options: AgentFixtureOptions<Provider> = {},
): Promise<AgentFixture<Provider>> {
  const provider = (options.provider ?? 'anthropic') as Provider;
  const cleanup: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };
  try {
    const shared = options.desktop && 'bytebotd' in options.desktop ? options.desktop : undefined;
    const testDesktop = shared ?? (await startTestDesktop(options.desktop as TestDesktopOptions | undefined));
    if (!shared) cleanup.push(() => testDesktop.stop());
    const model = options.scriptedModel ?? (await startScriptedModel(provider));
    if (!options.scriptedModel && model) cleanup.push(() => model.close());
    const database = options.storage === 'postgres' ? await createTestDatabase() : undefined;
    if (database) cleanup.push(() => database.drop());

    const base = {
      bytebotdUrl: testDesktop.bytebotd.url,
      token: options.token ?? testDesktop.bytebotd.token ?? '',
      dataDirectory: options.dataDirectory ?? mkdtempSync(join(tmpdir(), 'agent-fixture-')),
      environment: {
        ...noModels,
        ...modelEnvironment(provider, model?.url, options.model),
        ...(database
          ? {
              DATABASE_URL: database.url,
              REDIS_URL: 'redis://127.0.0.1:6379',
              // A queue of its own: agents of other test files on the same Redis take none of its tasks.
              BYTEBOT_QUEUE_NAME: `bytebot-test-${randomUUID()}`,
            }
          : {}),
        ...options.environment,
      },
    };
    const startAgent: AgentFixture<Provider>['startAgent'] = async (more = {}) => {
      const agent = await startAgentProcess({
        ...base,
        dataDirectory: more.dataDirectory ?? base.dataDirectory,
        environment: { ...base.environment, ...more.environment },
      });
      cleanup.push(() => agent.stop());
      return agent;
    };
    const agent = await startAgent();
    return {
      desktop: testDesktop.desktop,
      bytebotd: testDesktop.bytebotd,
      testDesktop,
      model,
      agent,
      client: agent.client,
      dataDirectory: base.dataDirectory,
      startAgent,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
