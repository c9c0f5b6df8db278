import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface AgentProcess {
  url: string;
  pid: number;
  token: string;
  output(): string;
  /** Calls the agent's HTTP API with the token; answers the status and the parsed JSON body. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Graceful stop (SIGTERM), or a crash (SIGKILL). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

const repositoryRoot = new URL('../../', import.meta.url).pathname;

/** Starts the agent service as its own process, as `npm run start:agent` does, on a free port. */
export async function startAgentProcess(options: {
  bytebotdUrl: string;
  token: string;
  dataDirectory: string;
  environment?: Record<string, string>;
}): Promise<AgentProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repositoryRoot, 'packages/agent/src/agent.main.ts')],
    {
      cwd: repositoryRoot,
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
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: string) => {
    output += chunk;
  };
  child.stdout?.setEncoding('utf8').on('data', collect);
  child.stderr?.setEncoding('utf8').on('data', collect);
  const url = await new Promise<string>((resolvePromise, rejectPromise) => {
    const timer = setTimeout(
      () => rejectPromise(new Error(`the agent did not start in 60 s:\n${output}`)),
      60_000,
    );
    child.stdout?.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectPromise(new Error(`the agent exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid as number,
    token: options.token,
    output: () => output,
    async request<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${url}${path}`, {
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
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
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
