import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';

/** The account the desktop session, its applications and its files belong to. */
export interface DesktopUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The account created when Bytebot runs as root, so nothing on the desktop runs as root. */
export const desktopUserName = 'bytebot';

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function lookUpUser(name: string): DesktopUser | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [userName, , uid, gid, , home] = line.split(':');
    if (userName === name && uid !== undefined && gid !== undefined && home) {
      return { name, uid: Number(uid), gid: Number(gid), home };
    }
  }
  return undefined;
}

function currentUser(): DesktopUser {
  const info = userInfo();
  return { name: info.username, uid: info.uid, gid: info.gid, home: info.homedir };
}

/**
 * The desktop user as things stand: `bytebot` when running as root and it exists, otherwise whoever
 * runs us (a person's own account on their own machine).
 */
export function resolveDesktopUser(): DesktopUser {
  const named = process.env.BYTEBOT_DESKTOP_USER;
  const user = isRoot() ? (lookUpUser(named || desktopUserName) ?? currentUser()) : currentUser();
  // A desktop started with its own home folder (the evaluation runner gives each task a fresh one).
  const home = process.env.BYTEBOT_DESKTOP_HOME;
  return home ? { ...user, home } : user;
}

/**
 * As root, creates the named account when it is missing (`bytebot` by default; home folder, bash and, unless
 * told otherwise, passwordless sudo, as the desktop image has it); as anyone else, the current user. Safe to
 * call from several processes at once.
 */
export async function ensureDesktopUser(
  name: string = desktopUserName,
  options: { sudo: boolean } = { sudo: true },
): Promise<DesktopUser> {
  if (!isRoot()) return currentUser();
  const existing = lookUpUser(name);
  if (existing) return existing;
  const sudo = options.sudo && existsSync('/etc/sudoers.d');
  const groups = sudo ? ['--groups', 'sudo'] : [];
  try {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/bash', ...groups, name], {
      stdio: 'pipe',
    });
  } catch (error) {
    // Another process may have created it between our look-up and useradd; only a still-missing user is an error.
    if (!lookUpUser(name)) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`could not create the desktop user "${name}": ${stderr || (error as Error).message}`);
    }
  }
  if (sudo) {
    const sudoers = `/etc/sudoers.d/${name}`;
    writeFileSync(sudoers, `${name} ALL=(ALL) NOPASSWD:ALL\n`, { mode: 0o440 });
    chmodSync(sudoers, 0o440);
  }
  const created = lookUpUser(name);
  if (!created) throw new Error(`the desktop user "${name}" is missing after useradd`);
  return created;
}
