import { AgentClient, type ApiRequest, apiRequest } from '@bytebot/client';
import { type ServiceProcess, startServiceProcess } from './service-process.ts';

export interface AgentProcess extends ServiceProcess {
  token: string;
  /** Calls the agent's HTTP API with the token; answers the status and the parsed JSON body. */
  request: ApiRequest;
  /** The typed client, with the token. */
  client: AgentClient;
}

/** Starts the agent service as its own process, as `npm run start:agent` does, on a free port. */
export async function startAgentProcess(options: {
  bytebotdUrl: string;
  token: string;
  dataDirectory: string;
  environment?: Record<string, string>;
}): Promise<AgentProcess> {
  const service = await startServiceProcess({
    name: 'the agent',
    script: 'packages/agent/src/agent.main.ts',
    env: {
      ...process.env,
      AGENT_PORT: '0',
      BYTEBOTD_URL: options.bytebotdUrl,
      BYTEBOT_TOKEN: options.token,
      BYTEBOT_DATA_DIR: options.dataDirectory,
      DATABASE_URL: '',
      REDIS_URL: '',
      ANTHROPIC_API_KEY: '',
      ...options.environment,
    },
  });
  return {
    ...service,
    token: options.token,
    request: apiRequest(service.url, options.token),
    client: new AgentClient({ baseUrl: service.url, token: options.token }),
  };
}

/** Polls until the check returns a value (not undefined); fails with the last seen state. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
}
