import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDesktop, startDesktop } from './start-desktop.ts';
import { waitUntil } from './wait-until.ts';

function pidOf(desktop: RunningDesktop, name: string): number | undefined {
  return desktop.processes().find((child) => child.name === name)?.pid;
}

/**
 * The processes of a process group still alive: killed ones may stay zombies a moment, until init reaps
 * them, and are not counted.
 */
function livingInGroup(group: number): string[] {
  const living: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (command) state ppid pgrp ...": the command may hold spaces and parentheses.
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [state, , processGroup] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(processGroup) === group && state !== 'Z') living.push(`${entry} ${command}`);
  }
  return living;
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
    expect(sessionPid).toBeTypeOf('number');
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
    const children = desktop.processes();
    expect(children.map((child) => child.name)).toEqual(
      expect.arrayContaining(['Xvfb', 'xfce4-session', 'x11vnc']),
    );
    // Each one alive before the stop (the same look that must find nothing after it).
    const alive = children.map((child) => [
      child.name,
      child.pid !== undefined && livingInGroup(child.pid).length > 0,
    ]);
    expect(alive).toEqual(children.map((child) => [child.name, true]));
    const groups = children.map((child) => child.pid as number);
    await desktop.stop();
    // Each was started in a process group of its own: nothing of the group, its children included, lives on.
    expect(groups.flatMap((group) => livingInGroup(group))).toEqual([]);
    expect(desktop.processes().filter((child) => child.pid !== undefined)).toEqual([]);
  });
});
