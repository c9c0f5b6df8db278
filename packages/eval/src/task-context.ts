import { execFile, spawn } from 'node:child_process';
import { chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { DesktopUser } from '@bytebot/desktop';
import type { CommandResult, PageRecord, TaskContext } from './eval-task.ts';

export interface TaskContextOptions {
  user: DesktopUser;
  home: string;
  screen: { width: number; height: number };
  /** The desktop's environment: DISPLAY, XAUTHORITY, HOME, the session bus. */
  environment: Record<string, string>;
  pageUrl(path: string): string;
  pageRecords(): PageRecord[];
}

const asRoot = () => process.getuid?.() === 0;

/** Paths of a task stay inside its home folder: a checker must not read, nor a setup write, elsewhere. */
function inHome(home: string, path: string): string {
  const full = isAbsolute(path) ? path : join(home, path);
  const inside = relative(home, full);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new Error(`${path} is outside the task's home folder`);
  return full;
}

/** The TaskContext of one task on one desktop, acting as the desktop user. */
export function createTaskContext(options: TaskContextOptions): TaskContext {
  const { user, home, environment } = options;
  const identity = asRoot() && user.uid !== 0 ? { uid: user.uid, gid: user.gid } : {};

  const run = (
    command: string,
    args: string[],
    runOptions: { input?: string; timeoutMs?: number } = {},
  ): Promise<CommandResult> =>
    new Promise((resolvePromise) => {
      const child = execFile(
        command,
        args,
        {
          env: environment,
          cwd: home,
          timeout: runOptions.timeoutMs ?? 10_000,
          ...identity,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolvePromise({
            stdout,
            stderr: stderr || (error && code !== 0 ? error.message : ''),
            exitCode: code,
          });
        },
      );
      // A program that exits without reading its input closes the pipe: that is not an error of ours.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(runOptions.input ?? '');
    });

  const makeFolders = async (folder: string) => {
    const missing: string[] = [];
    for (let current = folder; current !== home; current = dirname(current)) {
      const exists = await stat(current).then(
        () => true,
        () => false,
      );
      if (exists) break;
      missing.unshift(current);
    }
    for (const created of missing) {
      await mkdir(created);
      if (asRoot()) await chown(created, user.uid, user.gid);
    }
  };

  const windowTitles = async () => {
    const listing = await run('wmctrl', ['-l']);
    return listing.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.split(/\s+/).slice(3).join(' '));
  };

  return {
    home,
    screen: options.screen,
    run,
    launch(command, args) {
      const child = spawn(command, args, {
        env: environment,
        cwd: home,
        ...identity,
        detached: true,
        stdio: 'ignore',
      });
      child.on('error', () => undefined);
      child.unref();
    },
    async writeFile(path, content) {
      const full = inHome(home, path);
      await makeFolders(dirname(full));
      await writeFile(full, content);
      if (asRoot()) await chown(full, user.uid, user.gid);
    },
    async readFile(path) {
      return readFile(inHome(home, path), 'utf8').catch(() => undefined);
    },
    async exists(path) {
      return stat(inHome(home, path)).then(
        () => true,
        () => false,
      );
    },
    windowTitles,
    async waitForWindow(title, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const titles = await windowTitles();
        if (titles.some((candidate) => title.test(candidate))) return;
        if (Date.now() > deadline) {
          throw new Error(
            `no window titled ${title} within ${timeoutMs / 1000} s (open: ${titles.join(' | ')})`,
          );
        }
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
      }
    },
    async clipboard() {
      const result = await run('xclip', ['-o', '-selection', 'clipboard'], { timeoutMs: 3_000 });
      return result.exitCode === 0 ? result.stdout : '';
    },
    pageUrl: options.pageUrl,
    pageRecords: options.pageRecords,
  };
}
