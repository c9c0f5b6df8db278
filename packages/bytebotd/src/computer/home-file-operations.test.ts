import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BytebotdError } from '../bytebotd-error.ts';
import { readHomeFile, writeHomeFile } from './home-file-operations.ts';

const home = mkdtempSync(join(tmpdir(), 'home-files-'));
const outside = mkdtempSync(join(tmpdir(), 'outside-'));
const maxFileBytes = 1024;

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BytebotdError);
  return { code: (error as BytebotdError).code, message: (error as BytebotdError).message };
}

describe('home file operations (run by whoever may touch the files)', () => {
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('writes, creating the folders on the way, and reads back', async () => {
    const written = await writeHomeFile({
      home,
      path: 'a/b/c.txt',
      data: Buffer.from('hello'),
      maxFileBytes,
    });
    expect(written).toEqual({ path: join(home, 'a/b/c.txt'), size: 5 });
    // A shorter write replaces the file whole: nothing of the longer one is left over.
    await writeHomeFile({ home, path: '~/a/b/c.txt', data: Buffer.from('hi'), maxFileBytes });
    const read = await readHomeFile({ home, path: join(home, 'a/b/c.txt'), maxFileBytes });
    expect(read.data.toString()).toBe('hi');
  });

  it('refuses named pipes by name, reading and writing, without waiting on them', async () => {
    execFileSync('mkfifo', [join(home, 'pipe')]);
    expect(
      await refusal(writeHomeFile({ home, path: 'pipe', data: Buffer.from('x'), maxFileBytes })),
    ).toEqual({
      code: 'FORBIDDEN_PATH',
      message: 'path: "pipe" is a named pipe, not a regular file',
    });
    expect((await refusal(readHomeFile({ home, path: 'pipe', maxFileBytes }))).code).toBe('FORBIDDEN_PATH');
  });

  it('refuses symlinks at the target and folders that lead out of home', async () => {
    writeFileSync(join(outside, 'target.txt'), 'outside');
    symlinkSync(join(outside, 'target.txt'), join(home, 'link.txt'));
    symlinkSync(outside, join(home, 'out'));
    for (const operation of [
      () => writeHomeFile({ home, path: 'link.txt', data: Buffer.from('x'), maxFileBytes }),
      () => readHomeFile({ home, path: 'link.txt', maxFileBytes }),
      () => writeHomeFile({ home, path: 'out/new.txt', data: Buffer.from('x'), maxFileBytes }),
      () => writeHomeFile({ home, path: 'out/deeper/new.txt', data: Buffer.from('x'), maxFileBytes }),
      () => readHomeFile({ home, path: 'out/target.txt', maxFileBytes }),
      () => readHomeFile({ home, path: '../outside/target.txt', maxFileBytes }),
    ]) {
      expect((await refusal(operation())).code).toBe('FORBIDDEN_PATH');
    }
    expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe('outside');
  });

  it('keeps to the size limit and tells a folder from a file', async () => {
    const tooLarge = Buffer.alloc(maxFileBytes + 1);
    expect((await refusal(writeHomeFile({ home, path: 'big', data: tooLarge, maxFileBytes }))).code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    writeFileSync(join(home, 'big'), tooLarge);
    expect((await refusal(readHomeFile({ home, path: 'big', maxFileBytes }))).code).toBe('PAYLOAD_TOO_LARGE');
    mkdirSync(join(home, 'folder'));
    expect((await refusal(readHomeFile({ home, path: 'folder', maxFileBytes }))).code).toBe(
      'INVALID_REQUEST',
    );
    expect(
      (await refusal(writeHomeFile({ home, path: 'folder', data: Buffer.from('x'), maxFileBytes }))).code,
    ).toBe('INVALID_REQUEST');
    expect((await refusal(readHomeFile({ home, path: 'missing', maxFileBytes }))).code).toBe('NOT_FOUND');
  });
});
