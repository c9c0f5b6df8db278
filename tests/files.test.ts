import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
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
  });

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
