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

/** `plain`: one flat colour behind the windows; `default`: XFCE's own picture. */
export type Wallpaper = 'plain' | 'default';

/**
 * BYTEBOT_WALLPAPER, `plain` unless set to `default`. Every screenshot the model gets shows the desktop
 * wherever no window covers it, and XFCE's default picture (thin curves over the whole screen) is the
 * costliest thing on it to encode: an empty 1280x960 desktop is 490 KB of PNG on it and 80 KB on a flat
 * colour (200 KB against 16 KB as WebP). Nothing a person or a task needs is in the picture.
 */
export function wallpaperFromEnvironment(value = process.env.BYTEBOT_WALLPAPER): Wallpaper {
  if (value === undefined || value === '' || value === 'plain') return 'plain';
  if (value === 'default') return 'default';
  throw new Error(`BYTEBOT_WALLPAPER must be "plain" or "default", not ${JSON.stringify(value)}`);
}

/** The dark blue under XFCE's default picture, so a plain desktop looks like the one people know. */
const plainColour = [29 / 255, 39 / 255, 58 / 255, 1];
/**
 * xfdesktop keeps a backdrop per output and workspace: Xvfb's one output is named "screen", and the
 * session has four workspaces.
 */
const backdrops = [0, 1, 2, 3].map((workspace) => `/backdrop/screen0/monitorscreen/workspace${workspace}`);

/**
 * Settings that must hold whatever the user changed before, applied through xfconf before the session
 * starts. The window manager's compositor is off: it draws windows into an overlay that screenshots and
 * the VNC server on Xvfb do not always see (full-screen windows showed as wallpaper), and on a virtual
 * screen it only costs CPU. The wallpaper is plain unless BYTEBOT_WALLPAPER=default; going back to the
 * default removes the plain backdrop again (a picture a person chose is left alone).
 */
export async function applyXfceSettings(
  environment: Record<string, string>,
  runAs: { uid?: number; gid?: number },
  wallpaper: Wallpaper = wallpaperFromEnvironment(),
): Promise<void> {
  const query = (args: string[]) =>
    execFileAsync('xfconf-query', args, {
      env: environment,
      cwd: environment.HOME,
      timeout: 10_000,
      ...runAs,
    });
  await query(['-c', 'xfwm4', '-p', '/general/use_compositing', '-n', '-t', 'bool', '-s', 'false']);
  const desktop = (path: string, ...args: string[]) => query(['-c', 'xfce4-desktop', '-p', path, ...args]);
  if (wallpaper === 'plain') {
    const colour = plainColour.flatMap((part) => ['-t', 'double', '-s', part.toFixed(6)]);
    await Promise.all(
      backdrops.flatMap((backdrop) => [
        // Image style 0 is "none": the colour alone; colour style 0 is "solid".
        desktop(`${backdrop}/image-style`, '-n', '-t', 'int', '-s', '0'),
        desktop(`${backdrop}/color-style`, '-n', '-t', 'int', '-s', '0'),
        desktop(`${backdrop}/rgba1`, '-n', ...colour),
      ]),
    );
    return;
  }
  // Ours if it shows no image: reset to xfdesktop's defaults, which it writes back at start.
  const style = await desktop(`${backdrops[0]}/image-style`).catch(() => ({ stdout: '' }));
  if (style.stdout.trim() !== '0') return;
  await Promise.all(
    backdrops.flatMap((backdrop) =>
      ['image-style', 'color-style', 'rgba1'].map((property) =>
        desktop(`${backdrop}/${property}`, '-r').catch(() => undefined),
      ),
    ),
  );
}
