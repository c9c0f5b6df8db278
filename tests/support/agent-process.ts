import { type ServiceProcess, startServiceProcess } from './service-process.ts';

export interface AgentProcess extends ServiceProcess {
  token: string;
  /** Calls the agent's HTTP API with the token; answers the status and the parsed JSON body. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
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
    async request<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${service.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
    },
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
