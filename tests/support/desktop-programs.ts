import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { RunningDesktop } from '@bytebot/desktop';

const execFileAsync = promisify(execFile);

/** Starts a program on the test desktop as the desktop user, the way a person's session would. */
export function launchAsDesktopUser(desktop: RunningDesktop, command: string, args: string[]): () => void {
  const asRoot = process.getuid?.() === 0 && desktop.user.uid !== 0;
  const child = spawn(command, args, {
    env: { ...process.env, ...desktop.environment() },
    cwd: desktop.user.home,
    stdio: 'ignore',
    detached: true,
    ...(asRoot ? { uid: desktop.user.uid, gid: desktop.user.gid } : {}),
  });
  child.unref();
  return () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
}

/** Waits until a window whose title contains the text is shown, and returns its id. */
export async function waitForWindow(
  desktop: RunningDesktop,
  titlePart: string,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout } = await execFileAsync('wmctrl', ['-l'], {
      env: { ...process.env, ...desktop.environment() },
    }).catch(() => ({ stdout: '' }));
    const line = stdout.split('\n').find((candidate) => candidate.includes(titlePart));
    if (line) return line.split(/\s+/)[0] as string;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
  throw new Error(`no window titled "${titlePart}" appeared within ${timeoutMs} ms`);
}
