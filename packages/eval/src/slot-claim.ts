import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A slot number held by this process until released (or until the process ends). */
export interface SlotClaim {
  index: number;
  release(): void;
}

/** Where the claims of every evaluation on this machine meet: shared by all users, like /tmp itself. */
export const defaultClaimFolder = join(tmpdir(), 'bytebot-eval-slots');

/** Far more slots than a machine can run desktops for: past it something is wrong, not busy. */
const maxSlots = 64;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A claim file this old without a pid was left by a process that died between creating and writing it. */
const unwrittenClaimMs = 10_000;

function stale(path: string): boolean {
  const pid = holder(path);
  if (pid !== undefined) return !alive(pid);
  try {
    return Date.now() - statSync(path).mtimeMs > unwrittenClaimMs;
  } catch {
    return true;
  }
}

/** The open claim file, or undefined when a living process holds it. */
function createOrTakeOver(path: string): number | undefined {
  // Twice at most: once as it is, once more after removing a stale claim.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      return openSync(path, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (attempt > 0 || !stale(path)) return undefined;
      rmSync(path, { force: true });
    }
  }
  return undefined;
}

/**
 * Claims the lowest slot number no living process holds. A slot number names the account
 * `bytebot-eval-N` whose processes are ended between tasks, so two evaluations at once (or a test beside
 * one) must never hold the same number. A claim is a file made with O_EXCL holding the claimant's pid;
 * one whose process is gone is stale and taken over.
 */
export function claimSlot(folder = defaultClaimFolder): SlotClaim {
  mkdirSync(folder, { recursive: true });
  try {
    chmodSync(folder, 0o1777);
  } catch {
    // Made by another user, who opened it to all already.
  }
  for (let index = 1; index <= maxSlots; index += 1) {
    const path = join(folder, `slot-${index}.pid`);
    const descriptor = createOrTakeOver(path);
    if (descriptor === undefined) continue;
    writeSync(descriptor, `${process.pid}\n`);
    closeSync(descriptor);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (holder(path) === process.pid) rmSync(path, { force: true });
    };
    process.on('exit', release);
    return { index, release };
  }
  throw new Error(`all ${maxSlots} evaluation slots in ${folder} are held by running processes`);
}
