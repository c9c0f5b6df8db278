import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BytebotdClient } from '@bytebot/client';
import { readToken } from '@bytebot/config';

export interface BytebotdProcess {
  url: string;
  pid: number;
  token: string | undefined;
  dataDirectory: string;
  client: BytebotdClient;
  output(): string;
  stop(): Promise<void>;
}

const repositoryRoot = new URL('../../', import.meta.url).pathname;

/** Starts bytebotd as its own process, as a user would, on a free port of the given display. */
export async function startBytebotdProcess(options: {
  display: string;
  xauthority: string;
  vncPort?: number | undefined;
  environment?: Record<string, string>;
}): Promise<BytebotdProcess> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'bytebotd-test-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repositoryRoot, 'packages/bytebotd/src/bytebotd.main.ts')],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        BYTEBOT_DISPLAY: options.display,
        XAUTHORITY: options.xauthority,
        BYTEBOTD_PORT: '0',
        BYTEBOT_DATA_DIR: dataDirectory,
        BYTEBOT_VNC_PORT: String(options.vncPort ?? 1),
        BYTEBOT_TOKEN: '',
        ...options.environment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolvePromise, rejectPromise) => {
    const timer = setTimeout(
      () => rejectPromise(new Error(`bytebotd did not start in 30 s:\n${output}`)),
      30_000,
    );
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectPromise(new Error(`bytebotd exited with ${code} before listening:\n${output}`));
    });
  });
  const token = readToken({ token: options.environment?.BYTEBOT_TOKEN || undefined, dataDirectory });
  return {
    url,
    pid: child.pid as number,
    token,
    dataDirectory,
    client: new BytebotdClient({ baseUrl: url, token }),
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
