import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DesktopUser } from '@bytebot/desktop';

/** The checkout this runner runs from: packages/eval/src/ is three levels down. */
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * What a desktop account must not read. Not the whole checkout: bytebotd's file helper runs as the desktop
 * account from it. But the evaluation package (suites, expected values), the repository's history (the same
 * sources, packed), the tests, and tsx's caches of the runner's transpiled sources (world-readable, and they
 * hold every suite module).
 */
export function answerKeyPaths(): string[] {
  return [
    join(repositoryRoot, 'packages', 'eval'),
    join(repositoryRoot, '.git'),
    join(repositoryRoot, 'tests'),
    join(tmpdir(), `tsx-${process.getuid?.() ?? 0}`),
    // Run through sudo: the command as first started compiled the suites into its own user's cache.
    ...(process.env.SUDO_UID ? [join(tmpdir(), `tsx-${process.env.SUDO_UID}`)] : []),
  ];
}

function setfacl(args: string[]): void {
  execFileSync('setfacl', args, { stdio: 'pipe' });
}

function failure(error: unknown): string {
  return (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
}

/** Removes the account's entry; drops the ACL altogether when nothing but ours made it one. */
function unhide(account: string, path: string): void {
  try {
    setfacl(['-x', `u:${account}`, path]);
    const acl = execFileSync('getfacl', ['-cp', path], { encoding: 'utf8', stdio: 'pipe' });
    const onlyBase = acl
      .split('\n')
      .filter((line) => line.trim() !== '')
      .every((line) => /^(user|group|mask|other)::/.test(line));
    if (onlyBase) setfacl(['-b', path]);
  } catch {
    // Gone already, or never had the entry: nothing to undo.
  }
}

/**
 * Keeps a slot's desktop account out of the answer keys with a POSIX ACL entry `u:<account>:---` on each path.
 * An ACL binds the account itself, so it holds for every process of it however started (the session,
 * bytebotd's launches, a detached daemon), where a mount namespace would only cover the session's
 * descendants; and other users of the checkout see no change. What was hidden is written down in the
 * claim folder, so the next open of this slot undoes what a crashed run left.
 */
export class AnswerKeyGuard {
  private readonly ledger: string;

  constructor(
    private readonly user: DesktopUser,
    claimFolder: string,
    slotIndex: number,
  ) {
    this.ledger = join(claimFolder, `slot-${slotIndex}.hidden.json`);
  }

  hide(paths: string[]): void {
    this.undoLeftovers();
    const present = [...new Set(paths)].filter((path) => existsSync(path));
    writeFileSync(this.ledger, JSON.stringify({ account: this.user.name, paths: present }), { mode: 0o600 });
    for (const path of present) {
      try {
        setfacl(['-m', `u:${this.user.name}:---`, path]);
      } catch (error) {
        throw new Error(
          `could not hide ${path} from ${this.user.name} (setfacl: ${failure(error)}); ` +
            'evaluation needs the acl package and a file system with POSIX ACLs (ext4, xfs, btrfs, tmpfs)',
        );
      }
      this.verify(path);
    }
  }

  /** Undoes hide(); safe to call twice. */
  reveal(): void {
    this.undoLeftovers();
  }

  /** The kernel's answer, as the account: an ACL the file system silently ignored must not pass for one. */
  private verify(path: string): void {
    try {
      execFileSync('test', ['-r', path], { uid: this.user.uid, gid: this.user.gid, stdio: 'ignore' });
    } catch {
      return;
    }
    throw new Error(`${this.user.name} can still read ${path} after setfacl: its file system ignores ACLs`);
  }

  private undoLeftovers(): void {
    if (!existsSync(this.ledger)) return;
    // The claim folder is open to all: only a ledger of ours (root's, not writable by others) is believed.
    const stat = statSync(this.ledger);
    if (stat.uid === 0 && (stat.mode & 0o022) === 0) {
      try {
        const { account, paths } = JSON.parse(readFileSync(this.ledger, 'utf8')) as {
          account: string;
          paths: string[];
        };
        for (const path of paths) unhide(account, path);
      } catch {
        // A torn ledger: what it named stays hidden from an account that only evaluations use.
      }
    }
    rmSync(this.ledger, { force: true });
  }
}
