import { BytebotdError } from '../bytebotd-error.ts';

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

export function abortError(signal: AbortSignal): BytebotdError {
  const reason = signal.reason;
  if (reason instanceof BytebotdError) return reason;
  return new BytebotdError('TIMEOUT', 'the action did not finish before its deadline');
}

/** A sleep that ends early, with the abort's error, when the signal fires. */
export function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolvePromise, rejectPromise) => {
    if (signal.aborted) {
      rejectPromise(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      rejectPromise(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolvePromise();
    }, milliseconds);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
