import { execFile } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { DesktopUser } from './desktop-user.ts';

const panelDefaults = '/etc/xdg/xfce4/panel/default.xml';

/** Creates the folders up to path that are missing, owned by the user (we may be root). */
function makeUserFolders(user: DesktopUser, folder: string, asRoot: boolean): void {
  const missing: string[] = [];
  for (let current = folder; !existsSync(current); current = dirname(current)) missing.unshift(current);
  for (const created of missing) {
    mkdirSync(created, { mode: 0o755 });
    if (asRoot) chownSync(created, user.uid, user.gid);
  }
}

/**
 * The session starts these agents as daemons of their own, outside its process group, so they would
 * outlive every stop; nothing on this desktop needs them.
 */
const sessionSettings = `<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-session" version="1.0">
  <property name="startup" type="empty">
    <property name="ssh-agent" type="empty"><property name="enabled" type="bool" value="false"/></property>
    <property name="gpg-agent" type="empty"><property name="enabled" type="bool" value="false"/></property>
  </property>
  <property name="general" type="empty">
    <property name="SaveOnExit" type="bool" value="false"/>
  </property>
</channel>
`;

/**
 * Seeds the user's XFCE settings where they are missing (a person's own changes are kept): the panel's
 * layout, because without one xfce4-panel opens a "first start" dialog over the desktop, which the model
 * would see instead of a usable desktop; and the session's, see above.
 */
export function prepareXfceConfiguration(user: DesktopUser): void {
  const asRoot = process.getuid?.() === 0 && user.uid !== 0;
  const channels = join(user.home, '.config/xfce4/xfconf/xfce-perchannel-xml');
  makeUserFolders(user, channels, asRoot);
  const seed = (name: string, write: (path: string) => void) => {
    const path = join(channels, name);
    if (existsSync(path)) return;
    write(path);
    if (asRoot) chownSync(path, user.uid, user.gid);
  };
  if (existsSync(panelDefaults)) seed('xfce4-panel.xml', (path) => copyFileSync(panelDefaults, path));
  seed('xfce4-session.xml', (path) => writeFileSync(path, sessionSettings));
}

const execFileAsync = promisify(execFile);

/**
 * Settings that must hold whatever the user changed before, applied through xfconf before the session
 * starts. The window manager's compositor is off: it draws windows into an overlay that screenshots and
 * the VNC server on Xvfb do not always see (full-screen windows showed as wallpaper), and on a virtual
 * screen it only costs CPU.
 */
export async function applyXfceSettings(
  environment: Record<string, string>,
  runAs: { uid?: number; gid?: number },
): Promise<void> {
  await execFileAsync(
    'xfconf-query',
    ['-c', 'xfwm4', '-p', '/general/use_compositing', '-n', '-t', 'bool', '-s', 'false'],
    {
      env: environment,
      cwd: environment.HOME,
      timeout: 10_000,
      ...runAs,
    },
  );
}
