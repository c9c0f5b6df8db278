import { existsSync } from 'node:fs';
import { connect } from 'node:net';

export function displayNumberOf(display: string): number {
  const match = /^:(\d+)$/.exec(display);
  if (!match) throw new Error(`display: expected ":N", got "${display}"`);
  return Number(match[1]);
}

export function displaySocketPath(displayNumber: number): string {
  return `/tmp/.X11-unix/X${displayNumber}`;
}

/** A display number no X server holds: neither its lock file nor its socket exists. */
export function isDisplayFree(displayNumber: number): boolean {
  return !existsSync(`/tmp/.X${displayNumber}-lock`) && !existsSync(displaySocketPath(displayNumber));
}

/** Display numbers to try for 'auto': a random start spreads parallel test files apart. */
export function candidateDisplayNumbers(count: number): number[] {
  const first = 100 + Math.floor(Math.random() * 800);
  return Array.from({ length: count }, (_, index) => 100 + ((first - 100 + index) % 800)).filter(
    isDisplayFree,
  );
}

/** Whether something accepts connections on the display's socket. */
export function isDisplayAnswering(displayNumber: number): Promise<boolean> {
  return canConnect({ path: displaySocketPath(displayNumber) });
}

export function canConnect(
  target: { path: string } | { host: string; port: number },
  timeoutMs = 500,
): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect(target);
    const finish = (result: boolean) => {
      socket.destroy();
      resolvePromise(result);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
