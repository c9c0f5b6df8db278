import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLockStale, readLockHolder, tryLockFile } from './pid-lock-file.ts';

/** The id of a process that has exited (and been reaped). */
function endedPid(): number {
  return spawnSync('true').pid as number;
}

describe('pid lock files', () => {
  let folder: string;
  let lockFile: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'pid-lock-'));
    lockFile = join(folder, 'thing.lock');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('takes a free lock, names this process in it, and removes it on release', () => {
    const attempt = tryLockFile(lockFile, { mode: 0o600 });
    expect(attempt.held?.path).toBe(lockFile);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
    });
    expect(statSync(lockFile).mode & 0o777).toBe(0o600);
    expect(readLockHolder(lockFile)?.pid).toBe(process.pid);
    expect(isLockStale(lockFile)).toBe(false);
    attempt.held?.release();
    attempt.held?.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses a second take in this process, and gives the lock again once released', () => {
    const first = tryLockFile(lockFile);
    expect(tryLockFile(lockFile)).toEqual({ holder: 'this process' });
    first.held?.release();
    const again = tryLockFile(lockFile);
    expect(again.held).toBeDefined();
    again.held?.release();
  });

  it('names a living holder, and takes over from one that ended', () => {
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFile, JSON.stringify({ pid: holder.pid, hostname: hostname() }));
      const refused = tryLockFile(lockFile);
      expect(refused).toEqual({ holder: { pid: holder.pid, hostname: hostname(), startedAt: undefined } });
    } finally {
      holder.kill('SIGKILL');
    }
    writeFileSync(lockFile, JSON.stringify({ pid: endedPid(), hostname: hostname() }));
    const taken = tryLockFile(lockFile);
    expect(readLockHolder(lockFile)?.pid).toBe(process.pid);
    taken.held?.release();
  });

  it('reads the bare pid of X servers and pid files', () => {
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFile, `${String(holder.pid).padStart(10)}\n`);
      expect(readLockHolder(lockFile)).toEqual({ pid: holder.pid });
      expect(isLockStale(lockFile)).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
    writeFileSync(lockFile, `${endedPid()}\n`);
    expect(isLockStale(lockFile)).toBe(true);
  });

  it('takes as stale a lock of another machine, of a reused pid, or naming this process it did not take', () => {
    const living = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const stale = [
        { pid: living.pid, hostname: 'another-machine' },
        // The pid lives, but it started at another time than the process that wrote the lock.
        { pid: living.pid, hostname: hostname(), startedAt: '1' },
        // A container restarted on the same folder: the same pid as the run that left the lock.
        { pid: process.pid, hostname: hostname() },
      ];
      for (const holder of stale) {
        writeFileSync(lockFile, JSON.stringify(holder));
        expect([holder, isLockStale(lockFile)]).toEqual([holder, true]);
      }
    } finally {
      living.kill('SIGKILL');
    }
  });

  it('leaves a lock without a pid alone while it may be being written, but not once it is old', () => {
    writeFileSync(lockFile, '');
    expect(tryLockFile(lockFile)).toEqual({ holder: undefined });
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(lockFile, longAgo, longAgo);
    expect(isLockStale(lockFile)).toBe(true);
    const taken = tryLockFile(lockFile);
    expect(taken.held).toBeDefined();
    taken.held?.release();
  });

  it('sees a missing lock file as stale', () => {
    expect(isLockStale(join(folder, 'missing.lock'))).toBe(true);
  });
});
