import { chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryLockFile } from '@bytebot/config';

/** A slot number held by this process until released (or until the process ends). */
export interface SlotClaim {
  index: number;
  release(): void;
}

/** Where the claims of every evaluation on this machine meet: shared by all users, like /tmp itself. */
export const defaultClaimFolder = join(tmpdir(), 'bytebot-eval-slots');

/** Far more slots than a machine can run desktops for: past it something is wrong, not busy. */
const maxSlots = 64;

/**
 * Claims the lowest slot number no living process holds. A slot number names the account
 * `bytebot-eval-N` whose processes are ended between tasks, so two evaluations at once (or a test beside
 * one) must never hold the same number. A claim is config's pid lock file, `slot-N.pid`; one whose
 * process is gone is stale and taken over.
 */
export function claimSlot(folder = defaultClaimFolder): SlotClaim {
  mkdirSync(folder, { recursive: true });
  try {
    chmodSync(folder, 0o1777);
  } catch {
    // Made by another user, who opened it to all already.
  }
  for (let index = 1; index <= maxSlots; index += 1) {
    // 0644: an evaluation run by another account reads who holds a slot to tell a stale claim.
    const attempt = tryLockFile(join(folder, `slot-${index}.pid`), { mode: 0o644 });
    if (attempt.held) return { index, release: () => attempt.held.release() };
  }
  throw new Error(`all ${maxSlots} evaluation slots in ${folder} are held by running processes`);
}
