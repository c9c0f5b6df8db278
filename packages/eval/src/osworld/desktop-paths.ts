import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The desktop user's home in OSWorld's virtual machine, which its tasks name in every path and command. */
export const osworldHome = '/home/user';

/**
 * OSWorld's paths and commands, pointed at this task's own home: "/home/user" (and only that account, not
 * "/home/username") becomes the fresh home the task runs in. The screen placeholders OSWorld fills in
 * ({SCREEN_WIDTH}, {SCREEN_HEIGHT} and their _HALF forms) are filled in too.
 */
export function onThisDesktop(
  text: string,
  desktop: { home: string; screen: { width: number; height: number } },
): string {
  const { width, height } = desktop.screen;
  return text
    .replace(/\/home\/user(?![\w.-])/g, () => desktop.home)
    .replaceAll('{SCREEN_WIDTH_HALF}', String(Math.floor(width / 2)))
    .replaceAll('{SCREEN_HEIGHT_HALF}', String(Math.floor(height / 2)))
    .replaceAll('{SCREEN_WIDTH}', String(width))
    .replaceAll('{SCREEN_HEIGHT}', String(height));
}

/** Every string inside a JSON value, pointed at this desktop (see onThisDesktop). */
export function jsonOnThisDesktop<Value>(
  value: Value,
  desktop: { home: string; screen: { width: number; height: number } },
): Value {
  if (typeof value === 'string') return onThisDesktop(value, desktop) as Value;
  if (Array.isArray(value)) return value.map((item) => jsonOnThisDesktop(item, desktop)) as Value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, jsonOnThisDesktop(item, desktop)]),
    ) as Value;
  }
  return value;
}

/** Where a file a task places (or compares against) comes from: a file of the tasks folder, or the network. */
export type FileSource = { kind: 'local'; path: string } | { kind: 'network'; url: string };

/**
 * A download URL or gold file path of a task: a path relative to the task's file, or a file: URL, both
 * inside the tasks folder so a folder of tasks carries everything it needs. Anything with another scheme
 * (http, https, ...) is the network, which an evaluation here never reaches. Throws when a local file is
 * outside the folder or missing.
 */
export function fileSource(url: string, taskFolder: string, tasksFolder: string): FileSource {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'file') return { kind: 'network', url };
  const path = scheme === 'file' ? fileURLToPath(url) : resolve(taskFolder, url);
  const inside = relative(tasksFolder, path);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new Error(`${url} is outside the tasks folder ${tasksFolder}`);
  if (!existsSync(path)) throw new Error(`${url}: no such file (looked for ${path})`);
  return { kind: 'local', path };
}
