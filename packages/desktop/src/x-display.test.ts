import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { displayLockPath, displaySocketPath, isDisplayFree, removeStaleDisplayFiles } from './x-display.ts';

/** A display number far above those tests and desktops use, with no files of its own. */
function unusedDisplayNumber(): number {
  for (let candidate = 5000 + Math.floor(Math.random() * 1000); ; candidate += 1)
    if (isDisplayFree(candidate)) return candidate;
}

/** The id of a process that has exited (and been reaped). */
function deadPid(): number {
  return spawnSync('true').pid as number;
}

/** An X server's lock file: the pid as ten characters and a newline. */
function writeLock(displayNumber: number, pid: number): void {
  writeFileSync(displayLockPath(displayNumber), `${String(pid).padStart(10)}\n`);
}

describe('removeStaleDisplayFiles', () => {
  const used: number[] = [];
  afterEach(() => {
    for (const displayNumber of used.splice(0)) {
      rmSync(displayLockPath(displayNumber), { force: true });
      rmSync(displaySocketPath(displayNumber), { force: true });
    }
  });

  it("removes a dead server's lock and its socket that nothing answers on", async () => {
    const displayNumber = unusedDisplayNumber();
    used.push(displayNumber);
    writeLock(displayNumber, deadPid());
    mkdirSync('/tmp/.X11-unix', { recursive: true });
    writeFileSync(displaySocketPath(displayNumber), '');
    expect(await removeStaleDisplayFiles(displayNumber)).toEqual([
      displayLockPath(displayNumber),
      displaySocketPath(displayNumber),
    ]);
    expect(isDisplayFree(displayNumber)).toBe(true);
  });

  it('leaves the lock of a live process, and its socket, alone', async () => {
    const displayNumber = unusedDisplayNumber();
    used.push(displayNumber);
    // Another process: a lock naming this one, which took no lock, is one left by an earlier process that had its pid.
    const server = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeLock(displayNumber, server.pid as number);
      writeFileSync(displaySocketPath(displayNumber), '');
      expect(await removeStaleDisplayFiles(displayNumber)).toEqual([]);
      expect(existsSync(displayLockPath(displayNumber))).toBe(true);
      expect(existsSync(displaySocketPath(displayNumber))).toBe(true);
    } finally {
      server.kill();
    }
  });

  it('leaves a lock without a pid alone while it may still be being written, not once it is old', async () => {
    const displayNumber = unusedDisplayNumber();
    used.push(displayNumber);
    writeFileSync(displayLockPath(displayNumber), '');
    expect(await removeStaleDisplayFiles(displayNumber)).toEqual([]);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(displayLockPath(displayNumber), longAgo, longAgo);
    expect(await removeStaleDisplayFiles(displayNumber)).toEqual([displayLockPath(displayNumber)]);
  });
});
