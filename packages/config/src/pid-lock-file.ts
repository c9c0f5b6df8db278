import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

/**
 * A lock file names the process holding it. Ours hold `{"pid", "hostname", "startedAt"}` as JSON; a bare
 * number is read too, which is how X servers write theirs (`/tmp/.X99-lock`) and how pid files do.
 */
export interface LockHolder {
  pid: number;
  /** Where that pid means something: another machine's (a shared folder) says nothing about ours. */
  hostname?: string | undefined;
  /** When that process started (Linux clock ticks since boot): the same pid reused by another process differs. */
  startedAt?: string | undefined;
}

export interface HeldLock {
  readonly path: string;
  /** Removes the lock file if it still names this process; safe to call twice. Done at exit too. */
  release(): void;
}

/** Taken, or who holds it: 'this process', a holder, or undefined while the holder is still writing its name. */
export type LockAttempt =
  | { held: HeldLock }
  | { held?: undefined; holder: LockHolder | 'this process' | undefined };

/** A lock file this old and still without a readable pid was left by a process that died while writing it. */
const unwrittenLockMs = 10_000;

/** Lock files held by this process, by absolute path: a second take in this process is refused by name. */
const heldHere = new Map<string, HeldLock>();

function releaseAllAtExit(): void {
  for (const lock of [...heldHere.values()]) lock.release();
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

function isPid(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Who the lock file names, or undefined when it is missing, empty or unreadable. */
export function readLockHolder(path: string): LockHolder | undefined {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (isPid(content)) return { pid: content };
  if (typeof content !== 'object' || content === null) return undefined;
  const { pid, hostname: host, startedAt } = content as Record<string, unknown>;
  if (!isPid(pid)) return undefined;
  return {
    pid,
    hostname: typeof host === 'string' ? host : undefined,
    startedAt: typeof startedAt === 'string' ? startedAt : undefined,
  };
}

/** Whether the process a lock names is still the one that took it, here. */
export function isHolderRunning(holder: LockHolder): boolean {
  // A process id means nothing on another machine, and a container restarted with the same folder gets
  // the same pid (often 1) as the run that left the lock: a lock naming this process that this process
  // did not take (heldHere) is such a leftover.
  if ((holder.hostname !== undefined && holder.hostname !== hostname()) || holder.pid === process.pid) {
    return false;
  }
  // Alive is not enough: the pid may since belong to another process (a lock left by a crash, its pid reused).
  const startedAt = processStartTime(holder.pid);
  if (holder.startedAt !== undefined && startedAt !== undefined && startedAt !== holder.startedAt)
    return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, and belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a lock file was left behind: its process is gone, or it never got a pid written and is older
 * than a write takes. A missing file is stale; one held by this process is not.
 */
export function isLockStale(path: string): boolean {
  if (heldHere.has(resolve(path))) return false;
  const holder = readLockHolder(path);
  if (holder) return !isHolderRunning(holder);
  try {
    return Date.now() - statSync(path).mtimeMs > unwrittenLockMs;
  } catch {
    return true;
  }
}

/**
 * Takes the lock file at `path` for this process (created with O_EXCL, so two processes never both make
 * it), taking over one that is stale; otherwise says who holds it. `mode` is the file's: 0644 lets other
 * accounts see who holds a lock in a shared folder.
 */
export function tryLockFile(path: string, options: { mode?: number } = {}): LockAttempt {
  const absolute = resolve(path);
  if (heldHere.has(absolute)) return { holder: 'this process' };
  // Twice at most: once as it is, once more after removing a stale lock.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let descriptor: number;
    try {
      descriptor = openSync(absolute, 'wx', options.mode ?? 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (attempt > 0 || !isLockStale(absolute)) return { holder: readLockHolder(absolute) };
      rmSync(absolute, { force: true });
      continue;
    }
    const me: LockHolder = {
      pid: process.pid,
      hostname: hostname(),
      startedAt: processStartTime(process.pid),
    };
    try {
      writeSync(descriptor, JSON.stringify(me));
    } catch (error) {
      // A lock without a name would hold others off until it is old enough to be stale.
      rmSync(absolute, { force: true });
      throw error;
    } finally {
      closeSync(descriptor);
    }
    return { held: hold(absolute) };
  }
  return { holder: readLockHolder(absolute) };
}

function hold(path: string): HeldLock {
  if (heldHere.size === 0) process.on('exit', releaseAllAtExit);
  const lock: HeldLock = {
    path,
    release() {
      if (heldHere.get(path) !== lock) return;
      heldHere.delete(path);
      if (heldHere.size === 0) process.off('exit', releaseAllAtExit);
      if (readLockHolder(path)?.pid === process.pid) rmSync(path, { force: true });
    },
  };
  heldHere.set(path, lock);
  return lock;
}
