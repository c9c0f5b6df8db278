import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { isLockStale } from '@bytebot/config';

export function displayNumberOf(display: string): number {
  const match = /^:(\d+)$/.exec(display);
  if (!match) throw new Error(`display: expected ":N", got "${display}"`);
  return Number(match[1]);
}

export function displaySocketPath(displayNumber: number): string {
  return `/tmp/.X11-unix/X${displayNumber}`;
}

export function displayLockPath(displayNumber: number): string {
  return `/tmp/.X${displayNumber}-lock`;
}

/**
 * Removes what an X server that died without cleaning up left behind (kill -9, a crash): its lock file,
 * when the process named in it is gone, and then its socket, when nothing answers on it. Without this a
 * fixed display number stays "taken" until someone deletes the files by hand. Returns what it removed.
 */
export async function removeStaleDisplayFiles(displayNumber: number): Promise<string[]> {
  const removed: string[] = [];
  const lock = displayLockPath(displayNumber);
  if (existsSync(lock)) {
    // The X server writes its pid as a bare number: config's pid lock reader reads that too. A lock
    // without a readable pid may be one being written this instant: left alone until it is old.
    if (!isLockStale(lock)) return removed;
    rmSync(lock, { force: true });
    removed.push(lock);
  }
  const socket = displaySocketPath(displayNumber);
  // No lock, and nothing answering: a server that took the number meanwhile would have locked it first.
  if (existsSync(socket) && !(await isDisplayAnswering(displayNumber)) && !existsSync(lock)) {
    rmSync(socket, { force: true });
    removed.push(socket);
  }
  return removed;
}

/** A display number no X server holds: neither its lock file nor its socket exists. */
export function isDisplayFree(displayNumber: number): boolean {
  return !existsSync(displayLockPath(displayNumber)) && !existsSync(displaySocketPath(displayNumber));
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
