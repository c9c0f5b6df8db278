import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { ConfigurationError } from '@bytebot/config';

/**
 * PGlite itself does not lock its folder: a second PGlite on the same folder opens without a word, and
 * the two then overwrite each other's pages. This lock turns that into an error at open.
 */
const lockedInThisProcess = new Set<string>();

interface LockOwner {
  pid: number;
  hostname: string;
  /** When that process started (Linux clock ticks since boot): a pid reused by another process differs. */
  startedAt?: string | undefined;
}

/** A process's start time from /proc/<pid>/stat (field 22), or undefined where there is no /proc. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Takes the folder for this process, or fails naming who holds it; the returned function gives it back. */
export async function lockDataFolder(folder: string): Promise<() => Promise<void>> {
  const resolved = resolve(folder);
  if (lockedInThisProcess.has(resolved)) {
    throw new ConfigurationError(
      'BYTEBOT_DATA_DIR',
      `the embedded database in ${resolved} is already open in this process; share one AgentDatabase or close it first`,
    );
  }
  lockedInThisProcess.add(resolved);
  const lockFile = `${resolved}.lock`;
  try {
    await takeLockFile(lockFile, resolved);
  } catch (error) {
    lockedInThisProcess.delete(resolved);
    throw error;
  }
  return async () => {
    lockedInThisProcess.delete(resolved);
    const owner = await readOwner(lockFile);
    if (owner?.pid === process.pid) await unlink(lockFile).catch(() => undefined);
  };
}

async function takeLockFile(lockFile: string, folder: string): Promise<void> {
  const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: processStartTime(process.pid) };
  // Two tries: the second follows the removal of a lock its owner left behind when it died.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(lockFile, JSON.stringify(me), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(lockFile);
    if (owner && isAlive(owner)) {
      throw new ConfigurationError(
        'BYTEBOT_DATA_DIR',
        `the embedded database in ${folder} is in use by another process (pid ${owner.pid}); stop it, or give this one another BYTEBOT_DATA_DIR or a DATABASE_URL`,
      );
    }
    await unlink(lockFile).catch(() => undefined);
  }
  throw new ConfigurationError(
    'BYTEBOT_DATA_DIR',
    `could not take the lock ${lockFile}; another process keeps taking it`,
  );
}

async function readOwner(lockFile: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(lockFile, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.hostname === 'string'
      ? {
          pid: owner.pid,
          hostname: owner.hostname,
          startedAt: typeof owner.startedAt === 'string' ? owner.startedAt : undefined,
        }
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  // A process id means nothing on another machine, and a container restarted with the same folder gets
  // the same pid (often 1) as the run that left the lock: both cases are treated as a stale lock.
  if (owner.hostname !== hostname() || owner.pid === process.pid) return false;
  // Alive is not enough: the pid may since belong to another process (a lock left by a crash, its pid reused).
  const startedAt = processStartTime(owner.pid);
  if (owner.startedAt !== undefined && startedAt !== undefined && startedAt !== owner.startedAt) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
