import { constants } from 'node:fs';
import { chown, lstat, mkdir, open, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { limits } from '@bytebot/protocol';
import { BytebotdError } from '../bytebotd-error.ts';
import { mediaTypeForFileName } from './media-types.ts';

export interface FileOwner {
  home: string;
  uid: number;
  gid: number;
}

function isInside(root: string, candidate: string): boolean {
  const path = relative(root, candidate);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

function forbidden(path: string, why: string): BytebotdError {
  return new BytebotdError('FORBIDDEN_PATH', `path: "${path}" ${why}`, ['path']);
}

/**
 * Reads and writes files inside the desktop user's home and nowhere else: no `..` out of it, no
 * symlink that leads out of it, nothing but regular files. Writes by root are handed to the user.
 */
export class HomeFiles {
  private realHome: Promise<string>;

  constructor(private readonly owner: FileOwner) {
    this.realHome = realpath(owner.home);
  }

  /** The lexical check: the path as written must name something under home. */
  private lexicalPath(written: string): string {
    if (written.includes('\0'))
      throw new BytebotdError('INVALID_REQUEST', 'path: contains a NUL byte', ['path']);
    const absolute = resolve(this.owner.home, written.startsWith('~/') ? written.slice(2) : written);
    if (!isInside(this.owner.home, absolute))
      throw forbidden(written, `is outside the home folder ${this.owner.home}`);
    return absolute;
  }

  /** The check after symlinks: where the path really leads must still be under home. */
  private async assertRealPathInside(written: string, existing: string): Promise<void> {
    const home = await this.realHome;
    const real = await realpath(existing);
    if (real !== home && !isInside(home, real)) throw forbidden(written, 'leads outside the home folder');
  }

  async read(written: string): Promise<{ path: string; name: string; data: Buffer; mediaType: string }> {
    const path = this.lexicalPath(written);
    try {
      await this.assertRealPathInside(written, path);
      const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      try {
        const stats = await handle.stat();
        if (stats.isDirectory()) {
          throw new BytebotdError('INVALID_REQUEST', `path: "${written}" is a folder, expected a file`, [
            'path',
          ]);
        }
        if (!stats.isFile()) throw forbidden(written, 'is not a regular file');
        if (stats.size > limits.maxFileBytes) {
          throw new BytebotdError(
            'PAYLOAD_TOO_LARGE',
            `path: "${written}" has ${stats.size} bytes, the limit is ${limits.maxFileBytes}`,
            ['path'],
          );
        }
        const data = await handle.readFile();
        return { path, name: basename(path), data, mediaType: mediaTypeForFileName(path) };
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw translateFileError(error, written);
    }
  }

  async write(written: string, data: Buffer): Promise<{ path: string; size: number }> {
    if (data.length > limits.maxFileBytes) {
      throw new BytebotdError(
        'PAYLOAD_TOO_LARGE',
        `data: ${data.length} bytes, the limit is ${limits.maxFileBytes}`,
        ['data'],
      );
    }
    const path = this.lexicalPath(written);
    try {
      await this.makeFolders(written, dirname(path));
      await this.assertRealPathInside(written, dirname(path));
      // O_NOFOLLOW: a symlink planted at the target is refused instead of written through.
      const handle = await open(
        path,
        constants.O_WRONLY |
          constants.O_CREAT |
          constants.O_TRUNC |
          constants.O_NOFOLLOW |
          constants.O_NONBLOCK,
        0o644,
      );
      try {
        const stats = await handle.stat();
        if (!stats.isFile()) throw forbidden(written, 'is not a regular file');
        await handle.writeFile(data);
        if (this.shouldChown()) await handle.chown(this.owner.uid, this.owner.gid);
      } finally {
        await handle.close();
      }
      return { path, size: data.length };
    } catch (error) {
      throw translateFileError(error, written);
    }
  }

  private shouldChown(): boolean {
    return process.getuid?.() === 0 && this.owner.uid !== 0;
  }

  private async makeFolders(written: string, folder: string): Promise<void> {
    const missing: string[] = [];
    let current = folder;
    while (current !== this.owner.home && current.startsWith(this.owner.home + sep)) {
      try {
        const stats = await lstat(current);
        if (stats.isSymbolicLink()) await this.assertRealPathInside(written, current);
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
      if (this.shouldChown()) await chown(created, this.owner.uid, this.owner.gid);
    }
  }
}

function translateFileError(error: unknown, written: string): unknown {
  if (error instanceof BytebotdError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new BytebotdError('NOT_FOUND', `path: "${written}" does not exist`, ['path']);
  if (code === 'ELOOP') return forbidden(written, 'is a symbolic link');
  if (code === 'EISDIR')
    return new BytebotdError('INVALID_REQUEST', `path: "${written}" is a folder, expected a file`, ['path']);
  if (code === 'ENOTDIR')
    return new BytebotdError('NOT_FOUND', `path: a part of "${written}" is not a folder`, ['path']);
  if (code === 'EACCES' || code === 'EPERM') return forbidden(written, 'is not accessible');
  if (code === 'ENOSPC')
    return new BytebotdError('INTERNAL', `path: no space left on the device writing "${written}"`, ['path']);
  return error;
}
