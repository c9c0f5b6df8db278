/** Who and where the desktop is: what bytebotd needs to start programs and write files as its user. */
export interface DesktopSession {
  display: string;
  user: { name: string; uid: number; gid: number; home: string };
  /** Environment for programs started on the desktop (DISPLAY, XAUTHORITY, HOME, USER, ...). */
  environment: Record<string, string>;
}

/** Options for spawn() that run a program as the desktop user, dropping root when bytebotd has it. */
export function spawnAsDesktopUser(session: DesktopSession): {
  env: Record<string, string>;
  cwd: string;
  uid?: number;
  gid?: number;
} {
  const options = { env: session.environment, cwd: session.user.home };
  if (process.getuid?.() === 0 && session.user.uid !== 0) {
    return { ...options, uid: session.user.uid, gid: session.user.gid };
  }
  return options;
}
