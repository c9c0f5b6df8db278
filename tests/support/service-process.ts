import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ServiceProcess {
  url: string;
  pid: number;
  output(): string;
  /** Graceful stop (SIGTERM), or a crash (SIGKILL); a SIGKILL follows a SIGTERM not obeyed in time. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

const repositoryRoot = new URL('../../', import.meta.url).pathname;

/**
 * Starts one of our services as its own process, as a user would, and resolves with the address it
 * prints in its "listening on" line.
 */
export async function startServiceProcess(options: {
  name: string;
  /** The entry file, relative to the repository's root. */
  script: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repositoryRoot, options.script)],
    {
      cwd: repositoryRoot,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: string) => {
    output += chunk;
  };
  child.stdout?.setEncoding('utf8').on('data', collect);
  child.stderr?.setEncoding('utf8').on('data', collect);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const url = await new Promise<string>((resolvePromise, rejectPromise) => {
    const timer = setTimeout(
      () => rejectPromise(new Error(`${options.name} did not start in ${timeoutMs / 1000} s:\n${output}`)),
      timeoutMs,
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
      rejectPromise(new Error(`${options.name} exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid as number,
    output: () => output,
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
