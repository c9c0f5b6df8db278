import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimSlot } from './slot-claim.ts';

describe('evaluation slot claims', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'slot-claims-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('gives each claim its own number and frees it on release', () => {
    const first = claimSlot(folder);
    const second = claimSlot(folder);
    expect([first.index, second.index]).toEqual([1, 2]);
    expect(JSON.parse(readFileSync(join(folder, 'slot-1.pid'), 'utf8'))).toMatchObject({ pid: process.pid });
    first.release();
    const third = claimSlot(folder);
    expect(third.index).toBe(1);
    second.release();
    third.release();
  });

  it('skips numbers another living process holds and takes over those of ended ones', () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const ended = spawnSync('true').pid;
    try {
      writeFileSync(join(folder, 'slot-1.pid'), `${sleeper.pid}\n`);
      writeFileSync(join(folder, 'slot-2.pid'), `${ended}\n`);
      const claim = claimSlot(folder);
      expect(claim.index).toBe(2);
      expect(JSON.parse(readFileSync(join(folder, 'slot-2.pid'), 'utf8'))).toMatchObject({
        pid: process.pid,
      });
      claim.release();
      // The living holder's claim is left as it was.
      expect(readFileSync(join(folder, 'slot-1.pid'), 'utf8').trim()).toBe(String(sleeper.pid));
    } finally {
      sleeper.kill();
    }
  });

  it('leaves a claim being written alone, but not one left unwritten for long', () => {
    writeFileSync(join(folder, 'slot-1.pid'), '');
    const fresh = claimSlot(folder);
    expect(fresh.index).toBe(2);
    fresh.release();
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(join(folder, 'slot-1.pid'), longAgo, longAgo);
    const claim = claimSlot(folder);
    expect(claim.index).toBe(1);
    claim.release();
  });
});
