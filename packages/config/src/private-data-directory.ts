import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes the data folder private to this account, whatever made it before: the folder and every folder
 * in it 0700, every file in it without group or other bits (the embedded database holds the tasks'
 * words, the screenshots show the desktop), and, for a service that writes there, the process's umask
 * 077 so what it writes from now on is private too (the launcher leaves its children's umask alone: the
 * desktop session is among them). Symbolic links are left alone (changing one would change what it
 * points at).
 */
export function makeDataDirectoryPrivate(path: string, options: { umask: boolean } = { umask: true }): void {
  if (options.umask) process.umask(0o077);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  tighten(path);
}

function tighten(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
    for (const entry of readdirSync(path)) tighten(join(path, entry));
    return;
  }
  if (stat.isFile() && (stat.mode & 0o077) !== 0) chmodSync(path, stat.mode & 0o700);
}
