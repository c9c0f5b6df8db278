import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { BytebotdError } from '../bytebotd-error.ts';

/**
 * The file actions themselves, with the credentials of whoever runs them: bytebotd itself when it is not
 * root, or the file helper running as the desktop user when bytebotd is root (see file-helper.ts). The
 * checks here (inside home, no symlink out of it, regular files only) keep an honest request where it
 * belongs; they are not what keeps the desktop user out of root's files. A check and the open after it
 * are two steps a symlink swap can come between, so only the kernel, judging the user's own credentials
 * at the open, can decide that. This module imports nothing heavy: the helper starts in a blink.
 */
export interface HomeFileRequest {
  home: string;
  /** The path as the caller wrote it: relative to home, `~/`-prefixed, or absolute inside home. */
  path: string;
  maxFileBytes: number;
}

function isInside(root: string, candidate: string): boolean {
  const path = relative(root, candidate);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

function forbidden(path: string, why: string): BytebotdError {
  return new BytebotdError('FORBIDDEN_PATH', `path: "${path}" ${why}`, ['path']);
}

function notRegular(path: string, stats: { isFIFO(): boolean; isSocket(): boolean }): BytebotdError {
  if (stats.isFIFO()) return forbidden(path, 'is a named pipe, not a regular file');
  if (stats.isSocket()) return forbidden(path, 'is a socket, not a regular file');
  return forbidden(path, 'is not a regular file');
}

function isFolder(path: string): BytebotdError {
  return new BytebotdError('INVALID_REQUEST', `path: "${path}" is a folder, expected a file`, ['path']);
}

/** The lexical check: the path as written must name something under home. */
function lexicalPath(home: string, written: string): string {
  if (written.includes('\0'))
    throw new BytebotdError('INVALID_REQUEST', 'path: contains a NUL byte', ['path']);
  const absolute = resolve(home, written.startsWith('~/') ? written.slice(2) : written);
  if (!isInside(home, absolute)) throw forbidden(written, `is outside the home folder ${home}`);
  return absolute;
}

/** Where the path really leads, symlinks followed, must still be under home. */
async function assertRealPathInside(home: string, written: string, existing: string): Promise<void> {
  const realHome = await realpath(home);
  const real = await realpath(existing);
  if (real !== realHome && !isInside(realHome, real))
    throw forbidden(written, 'leads outside the home folder');
}

export async function readHomeFile(request: HomeFileRequest): Promise<{ path: string; data: Buffer }> {
  const { home, path: written, maxFileBytes } = request;
  const path = lexicalPath(home, written);
  try {
    await assertRealPathInside(home, written, path);
    // O_NONBLOCK: a named pipe opens at once instead of waiting for a writer, and is then refused.
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) throw isFolder(written);
      if (!stats.isFile()) throw notRegular(written, stats);
      if (stats.size > maxFileBytes) {
        throw new BytebotdError(
          'PAYLOAD_TOO_LARGE',
          `path: "${written}" has ${stats.size} bytes, the limit is ${maxFileBytes}`,
          ['path'],
        );
      }
      return { path, data: await handle.readFile() };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw translateFileError(error, written);
  }
}

export async function writeHomeFile(
  request: HomeFileRequest & { data: Buffer },
): Promise<{ path: string; size: number }> {
  const { home, path: written, data, maxFileBytes } = request;
  if (data.length > maxFileBytes) {
    throw new BytebotdError('PAYLOAD_TOO_LARGE', `data: ${data.length} bytes, the limit is ${maxFileBytes}`, [
      'data',
    ]);
  }
  const path = lexicalPath(home, written);
  try {
    await makeFolders(home, written, dirname(path));
    await assertRealPathInside(home, written, dirname(path));
    // Refused before opening when it is plainly not a file; the checks on the open handle below are the
    // ones that count, should it be swapped in between.
    const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (existing?.isSymbolicLink()) throw forbidden(written, 'is a symbolic link');
    if (existing?.isDirectory()) throw isFolder(written);
    if (existing && !existing.isFile()) throw notRegular(written, existing);
    // O_NOFOLLOW: a symlink planted at the target is refused instead of written through. O_NONBLOCK: a
    // named pipe is never waited on (no reader: ENXIO). No O_TRUNC: nothing is cut until the handle is
    // known to be a regular file.
    const handle = await open(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      0o644,
    );
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw notRegular(written, stats);
      await handle.truncate(0);
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    return { path, size: data.length };
  } catch (error) {
    throw translateFileError(error, written);
  }
}

/** Creates the missing folders between home and the file, refusing to pass through a symlink out of home. */
async function makeFolders(home: string, written: string, folder: string): Promise<void> {
  const missing: string[] = [];
  let current = folder;
  while (current !== home && current.startsWith(home + sep)) {
    try {
      const stats = await lstat(current);
      if (stats.isSymbolicLink()) await assertRealPathInside(home, written, current);
      else if (!stats.isDirectory())
        throw forbidden(written, `has "${current}" in its way, which is not a folder`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(current);
      current = dirname(current);
    }
  }
  for (const created of missing) {
    await mkdir(created, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

function translateFileError(error: unknown, written: string): unknown {
  if (error instanceof BytebotdError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new BytebotdError('NOT_FOUND', `path: "${written}" does not exist`, ['path']);
  if (code === 'ELOOP') return forbidden(written, 'is a symbolic link');
  if (code === 'EISDIR') return isFolder(written);
  if (code === 'ENOTDIR')
    return new BytebotdError('NOT_FOUND', `path: a part of "${written}" is not a folder`, ['path']);
  // A named pipe without a reader, opened for writing without blocking; or a socket.
  if (code === 'ENXIO' || code === 'EOPNOTSUPP') return forbidden(written, 'is not a regular file');
  if (code === 'EACCES' || code === 'EPERM')
    return forbidden(written, 'is not accessible to the desktop user');
  if (code === 'EROFS') return forbidden(written, 'is on a read-only file system');
  if (code === 'ENOSPC')
    return new BytebotdError('INTERNAL', `path: no space left on the device writing "${written}"`, ['path']);
  return error;
}
