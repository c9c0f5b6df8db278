import { mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataDirectoryPrivate } from './private-data-directory.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the data folder, private whatever made it', () => {
  const umask = process.umask();
  afterEach(() => {
    process.umask(umask);
  });

  it('makes a folder left open by an earlier run 0700, its folders 0700 and its files private', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'private-')), 'data');
    mkdirSync(join(root, 'pglite', 'base'), { recursive: true, mode: 0o755 });
    writeFileSync(join(root, 'pglite', 'postgresql.conf'), 'x', { mode: 0o666 });
    writeFileSync(join(root, 'screenshot.png'), 'x', { mode: 0o644 });
    const outside = join(mkdtempSync(join(tmpdir(), 'outside-')), 'shared.txt');
    writeFileSync(outside, 'x', { mode: 0o644 });
    symlinkSync(outside, join(root, 'link'));
    makeDataDirectoryPrivate(root, { umask: false });
    expect(mode(root)).toBe(0o700);
    expect(mode(join(root, 'pglite'))).toBe(0o700);
    expect(mode(join(root, 'pglite', 'base'))).toBe(0o700);
    expect(mode(join(root, 'pglite', 'postgresql.conf'))).toBe(0o600);
    expect(mode(join(root, 'screenshot.png'))).toBe(0o600);
    // What a link points at is not ours to change.
    expect(mode(outside)).toBe(0o644);
  });

  it('creates a new folder 0700 and sets the umask so later files are private', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'private-')), 'a', 'b');
    process.umask(0o022);
    makeDataDirectoryPrivate(root);
    expect(mode(root)).toBe(0o700);
    writeFileSync(join(root, 'later.txt'), 'x', { mode: 0o666 });
    expect(mode(join(root, 'later.txt'))).toBe(0o600);
  });
});
