/** Polls a check until it passes; the error names what was awaited, so a slow start is easy to diagnose. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) throw new Error(`stopped while waiting for ${what}`);
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`${what} was not ready within ${options.timeoutMs} ms`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, options.intervalMs ?? 100));
  }
}
