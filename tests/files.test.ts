import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { BytebotdClientError } from '@bytebot/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

async function failure(promise: Promise<unknown>): Promise<BytebotdClientError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BytebotdClientError);
  return error as BytebotdClientError;
}

describe("files in the desktop user's home", () => {
  let test: TestDesktop;
  let home: string;
  const folder = `files-test-${randomUUID()}`;

  beforeAll(async () => {
    test = await startTestDesktop({ session: 'none' });
    home = test.desktop.user.home;
    mkdirSync(join(home, folder), { recursive: true });
    // The folder is the user's, as anything in a home is; bytebotd writes as that user.
    if (process.getuid?.() === 0) chownSync(join(home, folder), test.desktop.user.uid, test.desktop.user.gid);
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('round-trips every byte value exactly', async () => {
    const { client } = test.bytebotd;
    const bytes = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, index) => index)),
      randomBytes(200_000),
    ]);
    const written = await client.writeFile(`${folder}/nested/deeper/data.bin`, bytes);
    expect(written.path).toBe(join(home, folder, 'nested/deeper/data.bin'));
    expect(written.size).toBe(bytes.length);
    const read = await client.readFile(`~/${folder}/nested/deeper/data.bin`);
    expect(read.content.equals(bytes)).toBe(true);
    expect(read).toMatchObject({
      name: 'data.bin',
      size: bytes.length,
      mediaType: 'application/octet-stream',
    });
    const absolute = await client.readFile(join(home, folder, 'nested/deeper/data.bin'));
    expect(absolute.content.equals(bytes)).toBe(true);
  });

  it('hands written files to the desktop user', async () => {
    const { client } = test.bytebotd;
    const written = await client.writeFile(`${folder}/owned.txt`, 'mine');
    const owner = execFileSync('stat', ['-c', '%u', written.path], { encoding: 'utf8' }).trim();
    expect(Number(owner)).toBe(test.desktop.user.uid);
  });

  it('refuses paths outside home, through .., absolute paths and symlinks', async () => {
    const { client } = test.bytebotd;
    symlinkSync('/etc', join(home, folder, 'link-to-etc'));
    for (const path of [
      '/etc/passwd',
      '../../etc/passwd',
      `${folder}/../../../etc/passwd`,
      `${folder}/link-to-etc/passwd`,
      '/proc/self/environ',
      '/dev/zero',
    ]) {
      const error = await failure(client.readFile(path));
      expect([error.status, error.code, error.path]).toEqual([403, 'FORBIDDEN_PATH', ['path']]);
    }
    const target = `bytebot-escape-${randomUUID()}`;
    for (const path of [`/tmp/${target}`, `../../tmp/${target}`, `${folder}/link-to-etc/${target}`]) {
      const error = await failure(client.writeFile(path, 'escaped'));
      expect([error.status, error.code]).toEqual([403, 'FORBIDDEN_PATH']);
    }
    expect(existsSync(`/tmp/${target}`)).toBe(false);
    expect(existsSync(`/etc/${target}`)).toBe(false);
  });

  it('refuses special files without blocking on them', async () => {
    const { client } = test.bytebotd;
    execFileSync('mkfifo', [join(home, folder, 'pipe')]);
    const error = await failure(client.readFile(`${folder}/pipe`));
    expect([error.status, error.code]).toEqual([403, 'FORBIDDEN_PATH']);
    // Writing to a named pipe with nobody reading it was a 500 (ENXIO); it is refused by name, at once.
    const written = await failure(client.writeFile(`${folder}/pipe`, 'into the pipe'));
    expect([written.status, written.code, written.path]).toEqual([403, 'FORBIDDEN_PATH', ['path']]);
    expect(written.message).toBe(`path: "${folder}/pipe" is a named pipe, not a regular file`);
  });

  it('writes nothing to a named pipe that has a reader', async () => {
    const { client } = test.bytebotd;
    const pipe = join(home, folder, 'read-pipe');
    execFileSync('mkfifo', [pipe]);
    // A reader holding the pipe open: an open for writing would succeed, and must still write nothing.
    const reader = spawn('cat', [pipe], { stdio: ['ignore', 'pipe', 'ignore'] });
    let received = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
    });
    try {
      const error = await failure(client.writeFile(`${folder}/read-pipe`, 'into the pipe'));
      expect([error.status, error.code]).toEqual([403, 'FORBIDDEN_PATH']);
    } finally {
      reader.kill();
    }
    expect(received).toBe('');
  });

  it.skipIf(process.getuid?.() !== 0)(
    'refuses to write over a root-owned file instead of handing it to the desktop user',
    async () => {
      const { client } = test.bytebotd;
      const path = join(home, folder, 'root-owned.conf');
      writeFileSync(path, 'root wrote this', { mode: 0o644 });
      const error = await failure(client.writeFile(`${folder}/root-owned.conf`, 'overwritten'));
      expect([error.status, error.code, error.path]).toEqual([403, 'FORBIDDEN_PATH', ['path']]);
      expect(readFileSync(path, 'utf8')).toBe('root wrote this');
      expect(statSync(path).uid).toBe(0);
      // Nor a root-only folder in the home: the user cannot read it or write into it.
      const rootFolder = join(home, folder, 'root-folder');
      mkdirSync(rootFolder, { mode: 0o700 });
      writeFileSync(join(rootFolder, 'secret.txt'), 'root only');
      const read = await failure(client.readFile(`${folder}/root-folder/secret.txt`));
      expect([read.status, read.code]).toEqual([403, 'FORBIDDEN_PATH']);
      const into = await failure(client.writeFile(`${folder}/root-folder/new.txt`, 'x'));
      expect([into.status, into.code]).toEqual([403, 'FORBIDDEN_PATH']);
      expect(existsSync(join(rootFolder, 'new.txt'))).toBe(false);
    },
  );

  it('answers 404 for a missing file and 400 for a folder', async () => {
    const { client } = test.bytebotd;
    const missing = await failure(client.readFile(`${folder}/does-not-exist.txt`));
    expect([missing.status, missing.code, missing.message]).toEqual([
      404,
      'NOT_FOUND',
      `path: "${folder}/does-not-exist.txt" does not exist`,
    ]);
    const directory = await failure(client.readFile(folder));
    expect([directory.status, directory.code]).toEqual([400, 'INVALID_REQUEST']);
  });
});
