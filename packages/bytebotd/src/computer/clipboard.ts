import { type ChildProcess, spawn } from 'node:child_process';
import { BytebotdError } from '../bytebotd-error.ts';
import { abortError, throwIfAborted } from './abortable.ts';
import type { DesktopSession } from './desktop-session.ts';

/**
 * After the first request, how long without another one before the paste counts as delivered: toolkits ask
 * for the list of targets first and the text after it, and under load the second request can lag.
 */
const quietAfterRequestMs = 300;
/** Longest wait for the application to fetch what was pasted. */
const deliveryTimeoutMs = 3_000;

let serving: ChildProcess | undefined;

/**
 * Serves text on the CLIPBOARD selection with xclip, and reports how many requests applications made
 * for it. xclip in verbose mode stays in the foreground and prints a line as each request is served,
 * which is how paste_text knows the application fetched the text before it returns.
 */
export class ClipboardOffer {
  private served = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly child: ChildProcess) {}

  static start(session: DesktopSession, text: string, signal: AbortSignal): Promise<ClipboardOffer> {
    // The previous offer would lose the selection to this one anyway; end it rather than leave it waiting.
    serving?.kill('SIGTERM');
    const child = spawn('xclip', ['-verbose', '-selection', 'clipboard', '-in'], {
      env: session.environment,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    serving = child;
    const offer = new ClipboardOffer(child);
    return new Promise((resolvePromise, rejectPromise) => {
      let output = '';
      let owned = false;
      const onAbort = () => {
        child.kill('SIGKILL');
        rejectPromise(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (!owned && output.includes('Waiting for selection requests')) {
          owned = true;
          signal.removeEventListener('abort', onAbort);
          resolvePromise(offer);
        }
        const numbers = [...output.matchAll(/selection request number (\d+)/g)].map((match) =>
          Number(match[1]),
        );
        const latest = numbers.at(-1) ?? 1;
        if (latest - 1 > offer.served) {
          offer.served = latest - 1;
          for (const wake of offer.waiters) wake();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('error', (error: NodeJS.ErrnoException) => {
        signal.removeEventListener('abort', onAbort);
        rejectPromise(
          error.code === 'ENOENT'
            ? new BytebotdError(
                'DESKTOP_UNAVAILABLE',
                'xclip is not installed; run packages/desktop/scripts/install-desktop.sh',
              )
            : error,
        );
      });
      child.on('exit', (exitCode) => {
        if (serving === child) serving = undefined;
        if (!owned) {
          signal.removeEventListener('abort', onAbort);
          rejectPromise(
            new BytebotdError(
              'DESKTOP_UNAVAILABLE',
              `xclip could not take the clipboard (exit ${exitCode}): ${output.trim()}`,
            ),
          );
        }
        for (const wake of offer.waiters) wake();
      });
      child.stdin?.on('error', () => {});
      child.stdin?.end(text);
      child.unref();
    });
  }

  /**
   * Resolves once an application fetched the text and no further request followed for a moment. An abort
   * ends the wait at once (with the abort's error): the input queue is not held for a caller who left.
   */
  async delivered(signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + deliveryTimeoutMs;
    while (Date.now() < deadline && !signal.aborted && this.child.exitCode === null) {
      const wait = this.served === 0 ? deadline - Date.now() : quietAfterRequestMs;
      const seen = this.served;
      await new Promise<void>((resolvePromise) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolvePromise();
        };
        const timer = setTimeout(wake, wait);
        this.waiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
      if (this.served > 0 && this.served === seen) return;
    }
    throwIfAborted(signal);
  }
}
