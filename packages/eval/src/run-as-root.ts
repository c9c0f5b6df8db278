import { execFileSync, spawnSync } from 'node:child_process';

export const notRootMessage =
  'evaluation desktops need root: each runs as an account of its own (bytebot-eval-N), kept out of the ' +
  "suite's answer keys, and only root can create those accounts and act as them. Run as root, or give " +
  'this user passwordless sudo (then the runner re-runs itself with `sudo -n`).';

const isRoot = () => process.getuid?.() === 0;

function canSudo(): boolean {
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * For the entry points: as root, returns; as another user with passwordless sudo, runs this same command
 * again under `sudo -n` and exits with its status; otherwise exits saying what is needed. The environment is
 * preserved rather than passed as arguments, so the provider's keys never show in a command line.
 */
export function runAsRoot(): void {
  if (isRoot()) return;
  if (!canSudo()) {
    process.stderr.write(`${notRootMessage}\n`);
    process.exit(1);
  }
  const result = spawnSync(
    'sudo',
    ['-n', '--preserve-env', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  if (result.error) {
    process.stderr.write(`sudo -n failed: ${result.error.message}\n${notRootMessage}\n`);
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}

/** Gives what a sudo-run evaluation wrote (its report) back to the user who ran sudo. */
export function returnToSudoUser(path: string): void {
  const uid = Number(process.env.SUDO_UID);
  const gid = Number(process.env.SUDO_GID);
  if (!isRoot() || !Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0) return;
  try {
    execFileSync('chown', ['-R', `${uid}:${gid}`, path], { stdio: 'ignore' });
  } catch {
    // The report stays root's: readable still, only not removable without sudo.
  }
}
