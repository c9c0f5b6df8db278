import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chownSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

/**
 * The desktop user swaps a folder of its home with a symlink to a root-only folder, as fast as the kernel
 * lets it (renameat2 with RENAME_EXCHANGE, so one of the two names always exists), while bytebotd (root)
 * reads and writes through that name. A path check followed by an open loses this race now and then; file
 * actions done with the user's own credentials cannot, because the kernel refuses the user the folder.
 */
const swapperSource = `
import ctypes, os, signal, sys
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
RENAME_EXCHANGE = 2
swaps = 0
def stop(*_):
    sys.stdout.write(str(swaps))
    sys.stdout.flush()
    os._exit(0)
signal.signal(signal.SIGTERM, stop)
sys.stdout.write('ready\\n')
sys.stdout.flush()
while True:
    if libc.renameat2(AT_FDCWD, b'folder', AT_FDCWD, b'link', RENAME_EXCHANGE) == 0:
        swaps += 1
`;

const isRoot = process.getuid?.() === 0;
const tries = 300;

describe.skipIf(!isRoot || !existsSync('/usr/bin/python3'))('file actions racing a symlink swap', () => {
  let test: TestDesktop;
  let rootOnly: string;
  let race: string;
  let relative: string;

  beforeAll(async () => {
    test = await startTestDesktop({ session: 'none' });
    const { user } = test.desktop;
    rootOnly = mkdtempSync('/tmp/bytebot-root-only-');
    writeFileSync(join(rootOnly, 'target.txt'), 'ROOT ONLY');
    relative = `race-${randomUUID()}`;
    race = join(user.home, relative);
    mkdirSync(join(race, 'folder'), { recursive: true });
    writeFileSync(join(race, 'folder', 'target.txt'), 'the user file');
    symlinkSync(rootOnly, join(race, 'link'));
    for (const path of [race, join(race, 'folder'), join(race, 'folder', 'target.txt')])
      chownSync(path, user.uid, user.gid);
    lchownSync(join(race, 'link'), user.uid, user.gid);
  });

  afterAll(async () => {
    await test?.stop();
    if (race) rmSync(race, { recursive: true, force: true });
    if (rootOnly) rmSync(rootOnly, { recursive: true, force: true });
  });

  /** Runs the swapper as the desktop user for the duration of body; resolves with the swaps it made. */
  async function whileSwapping(body: () => Promise<void>): Promise<number> {
    const { user } = test.desktop;
    const swapper: ChildProcess = spawn('/usr/bin/python3', ['-c', swapperSource], {
      cwd: race,
      uid: user.uid,
      gid: user.gid,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    swapper.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const exited = new Promise<void>((resolvePromise) => swapper.once('exit', () => resolvePromise()));
    try {
      while (!output.includes('ready')) {
        if (swapper.exitCode !== null) throw new Error(`the swapper exited: ${output}`);
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 20));
      }
      await body();
    } finally {
      swapper.kill('SIGTERM');
      await exited;
    }
    return Number(output.replace('ready', '').trim());
  }

  it(`never reads a root-only file in ${tries} tries`, async () => {
    const { client } = test.bytebotd;
    let leaked = 0;
    let read = 0;
    let refused = 0;
    const swaps = await whileSwapping(async () => {
      for (let attempt = 0; attempt < tries; attempt += 1) {
        try {
          const file = await client.readFile(`${relative}/folder/target.txt`);
          read += 1;
          if (file.content.toString('utf8') === 'ROOT ONLY') leaked += 1;
        } catch {
          refused += 1;
        }
      }
    });
    console.log(
      `reads: ${leaked} root-only, ${read - leaked} of the user's, ${refused} refused; ${swaps} swaps`,
    );
    expect(swaps).toBeGreaterThan(0);
    expect(leaked).toBe(0);
  });

  it(`never creates a file in a root-only folder in ${tries} tries`, async () => {
    const { client } = test.bytebotd;
    let written = 0;
    let refused = 0;
    const swaps = await whileSwapping(async () => {
      for (let attempt = 0; attempt < tries; attempt += 1) {
        // Half the writes create a folder on the way, the other half only the file.
        const path =
          attempt % 2 === 0
            ? `${relative}/folder/written-${attempt}.txt`
            : `${relative}/folder/made-${attempt}/written.txt`;
        try {
          await client.writeFile(path, `attempt ${attempt}`);
          written += 1;
        } catch {
          refused += 1;
        }
      }
    });
    const created = readdirSync(rootOnly).filter((name) => name !== 'target.txt');
    console.log(
      `writes: ${created.length} created in the root-only folder, ${written} written, ${refused} refused; ${swaps} swaps`,
    );
    expect(swaps).toBeGreaterThan(0);
    expect(created).toEqual([]);
    // Whatever was written landed in the user's own folder (under whichever name it has now), as the user's.
    const userFolder = ['folder', 'link']
      .map((name) => join(race, name))
      .find((path) => lstatSync(path).isDirectory()) as string;
    for (const name of readdirSync(userFolder, { recursive: true }) as string[])
      expect(statSync(join(userFolder, name)).uid).toBe(test.desktop.user.uid);
  });
});
