import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type DesktopUser, ensureDesktopUser } from './desktop-user.ts';
import { freePort } from './free-port.ts';
import { SupervisedProcess } from './supervised-process.ts';
import { waitUntil } from './wait-until.ts';
import { writeXAuthority } from './x-authority.ts';
import {
  canConnect,
  candidateDisplayNumbers,
  displayNumberOf,
  isDisplayAnswering,
  isDisplayFree,
  removeStaleDisplayFiles,
} from './x-display.ts';
import { applyXfceSettings, prepareXfceConfiguration } from './xfce-configuration.ts';

const execFileAsync = promisify(execFile);
const searchPath = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';

export interface DesktopOptions {
  /** ":N", or "auto" for a free display number (tests run several desktops side by side). */
  display: string;
  screen: { width: number; height: number };
  /** "xfce" for the full desktop, "none" for a bare X server. */
  session: 'xfce' | 'none';
  /**
   * x11vnc on 127.0.0.1 at this port (0 picks a free one), with this password (a random one if
   * omitted; `false` for no password at all, BYTEBOT_VNC_PASSWORD=off), or false for no VNC server.
   */
  vnc: { port: number; password?: string | false | undefined } | false;
  /** Who owns the session; `bytebot` (created if needed) when running as root, else the current user. */
  user?: DesktopUser | undefined;
  log?: (line: string) => void;
}

export interface RunningDesktop {
  display: string;
  xauthority: string;
  vncPort: number | undefined;
  /** The VNC server's password (VNC uses at most 8 characters of it); undefined when it has none. */
  vncPassword: string | undefined;
  user: DesktopUser;
  /** Environment for programs started on this desktop (DISPLAY, XAUTHORITY, HOME, session bus...). */
  environment(): Record<string, string>;
  /** The supervised programs and their current process ids (undefined while one is being restarted). */
  processes(): Array<{ name: string; pid: number | undefined; restarts: number }>;
  /** Resolves once the X server, the session's panel and desktop, and the VNC server all answer. */
  ready(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What to end when this process exits without stopping its desktops (an uncaught error, process.exit):
 * each program runs in a process group of its own, detached, and would otherwise live on, orphaned.
 */
const exitingProcessKills = new Set<() => void>();
process.once('exit', () => {
  for (const kill of exitingProcessKills) kill();
});

/**
 * Starts the desktop: Xvfb, then (for "xfce") a session bus and an XFCE session as the desktop user,
 * and x11vnc on 127.0.0.1. Each is watched and restarted when it dies. Returns once the X server
 * answers; `ready()` waits for the rest.
 */
export async function startDesktop(options: DesktopOptions): Promise<RunningDesktop> {
  const log = options.log ?? (() => undefined);
  const user = options.user ?? (await ensureDesktopUser());
  const asOtherUser = process.getuid?.() === 0 && user.uid !== 0;
  const runAs = asOtherUser ? { uid: user.uid, gid: user.gid } : {};

  // The session folder holds the X cookie and the session bus; the desktop user must reach both.
  const folder = mkdtempSync('/tmp/bytebot-desktop-');
  chmodSync(folder, 0o711);
  const runtime = join(folder, 'runtime');
  mkdirSync(runtime, { mode: 0o700 });
  const xauthority = join(folder, 'Xauthority');
  if (asOtherUser) chownSync(runtime, user.uid, user.gid);

  const processes: SupervisedProcess[] = [];
  // Clients of the X server: when it dies they are restarted with it rather than left to find out.
  const xClients: SupervisedProcess[] = [];
  const killAll = () => {
    for (const child of [...processes].reverse()) child.kill();
    rmSync(folder, { recursive: true, force: true });
  };
  exitingProcessKills.add(killAll);
  const stopAll = async () => {
    exitingProcessKills.delete(killAll);
    for (const child of [...processes].reverse()) await child.stop();
    rmSync(folder, { recursive: true, force: true });
  };

  let displayNumber: number;
  try {
    displayNumber = await startXServer();
  } catch (error) {
    await stopAll();
    throw error;
  }
  const display = `:${displayNumber}`;
  const baseEnvironment: Record<string, string> = {
    PATH: searchPath,
    LANG: process.env.LANG || 'C.UTF-8',
    DISPLAY: display,
    XAUTHORITY: xauthority,
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
    SHELL: '/bin/bash',
  };
  const sessionEnvironment: Record<string, string> =
    options.session === 'xfce'
      ? {
          ...baseEnvironment,
          XDG_RUNTIME_DIR: runtime,
          DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(runtime, 'bus')}`,
          XDG_SESSION_TYPE: 'x11',
          XDG_CURRENT_DESKTOP: 'XFCE',
          // No accessibility bus: nothing here reads it, and it is one more daemon per session.
          NO_AT_BRIDGE: '1',
        }
      : baseEnvironment;
  const waitForX = () =>
    waitUntil(`X display ${display}`, () => isDisplayAnswering(displayNumber), { timeoutMs: 30_000 });

  async function startXServer(): Promise<number> {
    const candidates =
      options.display === 'auto' ? candidateDisplayNumbers(40) : [displayNumberOf(options.display)];
    for (const candidate of candidates) {
      if (options.display !== 'auto') {
        const removed = await removeStaleDisplayFiles(candidate);
        if (removed.length > 0)
          log(`removed what a dead X server left on :${candidate}: ${removed.join(', ')}`);
      }
      if (!isDisplayFree(candidate)) {
        if (options.display === 'auto') continue;
        throw new Error(
          `display :${candidate} is taken by another X server (remove /tmp/.X${candidate}-lock if it is stale)`,
        );
      }
      writeXAuthority(xauthority, candidate);
      if (asOtherUser) chownSync(xauthority, user.uid, user.gid);
      const xvfb = new SupervisedProcess({
        name: 'Xvfb',
        command: 'Xvfb',
        args: [
          `:${candidate}`,
          '-screen',
          '0',
          `${options.screen.width}x${options.screen.height}x24`,
          '-auth',
          xauthority,
          '-nolisten',
          'tcp',
          // No screen saver or power saving: a blank screen would be all the model sees.
          '-s',
          '0',
          '-dpms',
          // Keep the server (and its state) when the last client disconnects.
          '-noreset',
        ],
        env: { PATH: searchPath },
        log,
        // After a crash or kill -9 its lock file and socket remain; they would refuse the restart.
        beforeStart: async () => {
          const removed = await removeStaleDisplayFiles(candidate);
          if (removed.length > 0) log(`removed what the dead Xvfb left: ${removed.join(', ')}`);
        },
        onExit: () => {
          for (const client of xClients) client.restartNow();
        },
      });
      processes.push(xvfb);
      await xvfb.start();
      try {
        await waitUntil(
          `Xvfb on :${candidate}`,
          async () => {
            if (xvfb.hasExited()) throw new Error(xvfb.output().trim() || 'Xvfb exited');
            return isDisplayAnswering(candidate);
          },
          { timeoutMs: 20_000, intervalMs: 50 },
        );
        return candidate;
      } catch (error) {
        await xvfb.stop();
        processes.pop();
        // Another desktop may have taken the number between our check and Xvfb's start: try the next.
        if (options.display !== 'auto')
          throw new Error(`Xvfb could not start on :${candidate}: ${(error as Error).message}`);
        log(`Xvfb could not use :${candidate}, trying another display`);
      }
    }
    throw new Error(
      'no free X display number found (is Xvfb installed? run packages/desktop/scripts/install-desktop.sh)',
    );
  }

  let vncPort: number | undefined;
  let vncPassword: string | undefined;
  try {
    if (options.session === 'xfce') {
      prepareXfceConfiguration(user);
      const bus = new SupervisedProcess({
        name: 'dbus-daemon',
        command: 'dbus-daemon',
        args: [
          '--session',
          '--nofork',
          '--nopidfile',
          `--address=${sessionEnvironment.DBUS_SESSION_BUS_ADDRESS}`,
        ],
        env: sessionEnvironment,
        cwd: user.home,
        ...runAs,
        log,
      });
      processes.push(bus);
      await bus.start();
      const xfce = new SupervisedProcess({
        name: 'xfce4-session',
        command: 'xfce4-session',
        args: [],
        env: sessionEnvironment,
        cwd: user.home,
        ...runAs,
        log,
        beforeStart: async () => {
          await waitForX();
          await waitUntil('the session bus', () => existsSync(join(runtime, 'bus')), { timeoutMs: 10_000 });
          await applyXfceSettings(sessionEnvironment, runAs);
        },
      });
      processes.push(xfce);
      xClients.push(xfce);
      await xfce.start();
    }
    if (options.vnc) {
      const port = options.vnc.port === 0 ? await freePort() : options.vnc.port;
      vncPort = port;
      // Only local programs reach the VNC port, but a password keeps the other users of this machine out too.
      // Without one (asked for explicitly), VNC clients that cannot send ours connect: the original UI's.
      const passwordArguments: string[] = ['-nopw'];
      if (options.vnc.password !== false) {
        vncPassword = options.vnc.password ?? randomBytes(6).toString('base64url');
        // In a file of mode 0600 rather than on x11vnc's command line, which every local user can read.
        const passwordFile = join(folder, 'vnc-password');
        writeFileSync(passwordFile, `${vncPassword}\n`, { mode: 0o600 });
        if (asOtherUser) chownSync(passwordFile, user.uid, user.gid);
        passwordArguments.splice(0, 1, '-passwdfile', passwordFile);
      }
      const vnc = new SupervisedProcess({
        name: 'x11vnc',
        command: 'x11vnc',
        args: [
          '-display',
          display,
          '-auth',
          xauthority,
          '-rfbport',
          String(port),
          // Only local clients: the browser reaches it through bytebotd's authenticated websocket proxy.
          '-localhost',
          '-noipv6',
          '-forever',
          '-shared',
          ...passwordArguments,
          '-quiet',
          // Xvfb has no DAMAGE-worthy hardware; polling is what works reliably here.
          '-noxdamage',
        ],
        env: baseEnvironment,
        cwd: user.home,
        ...runAs,
        log,
        beforeStart: waitForX,
      });
      processes.push(vnc);
      xClients.push(vnc);
      await vnc.start();
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  const names = (windows: string) => windows.split('\n').map((line) => line.split(/\s+/)[2] ?? '');
  const sessionIsUp = async () => {
    try {
      const { stdout } = await execFileAsync('wmctrl', ['-lx'], { env: baseEnvironment, timeout: 5_000 });
      const classes = names(stdout).map((name) => name.toLowerCase());
      return (
        classes.some((name) => name.startsWith('xfce4-panel')) &&
        classes.some((name) => name.startsWith('xfdesktop'))
      );
    } catch {
      return false;
    }
  };

  return {
    display,
    xauthority,
    vncPort,
    vncPassword,
    user,
    environment: () => ({ ...sessionEnvironment }),
    processes: () =>
      processes.map((child) => ({ name: child.name, pid: child.pid, restarts: child.restarts })),
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const remaining = () => Math.max(1, deadline - Date.now());
      await waitForX();
      if (options.session === 'xfce') {
        await waitUntil('the XFCE session (panel and desktop)', sessionIsUp, {
          timeoutMs: remaining(),
          intervalMs: 250,
        }).catch((error: Error) => {
          const xfce = processes.find((child) => child.name === 'xfce4-session');
          throw new Error(`${error.message}\n${xfce?.output().slice(-2000) ?? ''}`);
        });
      }
      if (vncPort !== undefined) {
        const port = vncPort;
        await waitUntil('x11vnc', () => canConnect({ host: '127.0.0.1', port }), {
          timeoutMs: remaining(),
          intervalMs: 100,
        });
      }
    },
    stop: stopAll,
  };
}
