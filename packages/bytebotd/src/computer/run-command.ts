import { spawn } from 'node:child_process';
import { BytebotdError } from '../bytebotd-error.ts';
import { abortError } from './abortable.ts';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a short helper program (wmctrl, xclip) with a deadline; never throws on a non-zero exit. */
export function runCommand(
  command: string,
  args: string[],
  options: { env: Record<string, string>; signal: AbortSignal; input?: string; uid?: number; gid?: number },
): Promise<CommandResult> {
  return new Promise((resolvePromise, rejectPromise) => {
    const child = spawn(command, args, {
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const onAbort = () => {
      child.kill('SIGKILL');
      rejectPromise(abortError(options.signal));
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal.removeEventListener('abort', onAbort);
      rejectPromise(
        error.code === 'ENOENT'
          ? new BytebotdError(
              'DESKTOP_UNAVAILABLE',
              `${command} is not installed; run packages/desktop/scripts/install-desktop.sh`,
            )
          : error,
      );
    });
    child.on('close', (exitCode) => {
      options.signal.removeEventListener('abort', onAbort);
      resolvePromise({ exitCode: exitCode ?? -1, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
