import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDesktop, startDesktop } from './start-desktop.ts';
import { waitUntil } from './wait-until.ts';

function pidOf(desktop: RunningDesktop, name: string): number | undefined {
  return desktop.processes().find((child) => child.name === name)?.pid;
}

function windowClasses(desktop: RunningDesktop): string {
  try {
    return execFileSync('wmctrl', ['-lx'], {
      env: { ...process.env, ...desktop.environment() },
      encoding: 'utf8',
    });
  } catch {
    return '';
  }
}

describe('the desktop runtime', () => {
  let desktop: RunningDesktop;

  beforeAll(async () => {
    desktop = await startDesktop({
      display: 'auto',
      screen: { width: 1024, height: 768 },
      session: 'xfce',
      vnc: { port: 0 },
    });
    await desktop.ready(60_000);
  });

  afterAll(async () => {
    await desktop?.stop();
  });

  it('runs an X server of the asked size, with the XFCE panel and desktop, as the desktop user', () => {
    const info = execFileSync('xdpyinfo', [], {
      env: { ...process.env, ...desktop.environment() },
      encoding: 'utf8',
    });
    expect(info).toMatch(/dimensions:\s+1024x768 pixels/);
    expect(windowClasses(desktop)).toMatch(/xfce4-panel/);
    const sessionPid = pidOf(desktop, 'xfce4-session');
    const owner = execFileSync('ps', ['-o', 'uid=', '-p', String(sessionPid)], { encoding: 'utf8' }).trim();
    expect(Number(owner)).toBe(desktop.user.uid);
  });

  it('restarts the VNC server and the session when they die', async () => {
    for (const name of ['x11vnc', 'xfce4-session']) {
      const before = pidOf(desktop, name);
      expect(before).toBeTypeOf('number');
      process.kill(before as number, 'SIGKILL');
      await waitUntil(
        `${name} to come back`,
        () => {
          const after = pidOf(desktop, name);
          return after !== undefined && after !== before;
        },
        { timeoutMs: 20_000 },
      );
    }
    // Back means usable again: the panel is shown and the VNC port answers.
    await desktop.ready(30_000);
    expect(windowClasses(desktop)).toMatch(/xfce4-panel/);
    expect(desktop.processes().every((child) => child.pid !== undefined)).toBe(true);
  });

  it('leaves no process behind when stopped', async () => {
    const pids = desktop.processes().map((child) => child.pid as number);
    await desktop.stop();
    for (const pid of pids) {
      expect(() => process.kill(pid, 0)).toThrow();
    }
  });
});
