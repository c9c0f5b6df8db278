import { AgentClient, type ApiRequest, apiRequest } from '@bytebot/client';
import { freePort } from '@bytebot/desktop';
import { scriptService } from '@bytebot/launcher';

export interface SlotAgent {
  url: string;
  /** The agent's typed client, with the run's token. */
  client: AgentClient;
  /** Calls the agent's API with the run's token; answers the status and the JSON body (for refusals). */
  request: ApiRequest;
  download(path: string): Promise<Uint8Array>;
  stop(): Promise<void>;
}

/**
 * The agent of one desktop slot, as its own process on embedded storage (PGlite in its data folder, the
 * in-process queue): no PostgreSQL or Redis needed, and slots share nothing.
 */
export async function startSlotAgent(options: {
  index: number;
  bytebotdUrl: string;
  token: string;
  dataDirectory: string;
  /** The model provider's settings (keys, base URL, model list). */
  modelEnvironment: Record<string, string>;
  log: (line: string) => void;
}): Promise<SlotAgent> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${options.token}` };
  const service = scriptService({
    name: `agent ${options.index}`,
    script: 'packages/agent/src/agent.main.ts',
    env: {
      ...process.env,
      ...options.modelEnvironment,
      BYTEBOT_HOST: '127.0.0.1',
      AGENT_PORT: String(port),
      BYTEBOTD_URL: options.bytebotdUrl,
      BYTEBOT_TOKEN: options.token,
      BYTEBOT_DATA_DIR: options.dataDirectory,
      DATABASE_URL: '',
      REDIS_URL: '',
      // The runner creates tasks as fast as desktops free up; no person's limit applies.
      BYTEBOT_RATE_LIMIT_TASKS: '0',
    },
    healthUrl: `${url}/health`,
    print: options.log,
  });
  service.start((code) => options.log(`agent ${options.index} exited (${code})`));
  // Generous: on a loaded 2-core machine (several runs at once) a fresh agent's start alone passed 90 s.
  await service.waitUntilHealthy(180_000);
  return {
    url,
    client: new AgentClient({ baseUrl: url, token: options.token }),
    request: apiRequest(url, options.token),
    async download(path) {
      const response = await fetch(`${url}${path}`, { headers });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    stop: () => service.stop(10_000),
  };
}
