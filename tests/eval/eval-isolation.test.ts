import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DesktopSlot, type PreparedDesktop, startSuiteWebServer, suites } from '@bytebot/eval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const screen = { width: 1024, height: 768 };
const repository = fileURLToPath(new URL('../../', import.meta.url));

function contextOf(prepared: PreparedDesktop) {
  return prepared.context();
}

describe('isolation of evaluation tasks', () => {
  const folder = mkdtempSync(join(tmpdir(), 'bytebot-isolation-test-'));
  // A report folder as a person would leave it: world-readable, in the checkout's neighbourhood.
  const reports = mkdtempSync(join(tmpdir(), 'bytebot-isolation-report-'));
  const token = randomBytes(16).toString('hex');
  const slots = [1, 2].map(
    () => new DesktopSlot({ screen, folder, token, log: () => undefined, privatePaths: [reports] }),
  );

  beforeAll(async () => {
    for (const slot of slots) await slot.open();
  });

  afterAll(async () => {
    for (const slot of slots) await slot.close();
    rmSync(folder, { recursive: true, force: true });
    rmSync(reports, { recursive: true, force: true });
  });

  it('keeps two tasks running side by side apart: neither reads the other’s files nor sees its windows', async () => {
    const [first, second] = await Promise.all(slots.map((slot) => slot.prepare()));
    if (!first || !second) throw new Error('a desktop did not start');
    const one = contextOf(first);
    const two = contextOf(second);
    await one.writeFile('secret.txt', 'only for task one\n');
    expect(await one.run('cat', [join(first.home, 'secret.txt')])).toMatchObject({ exitCode: 0 });
    const peek = await two.run('cat', [join(first.home, 'secret.txt')]);
    expect(peek.exitCode).not.toBe(0);
    expect(peek.stdout).toBe('');

    one.launch('xfce4-terminal', ['--title', 'task one window']);
    await one.waitForWindow(/task one window/);
    expect(await two.windowTitles()).not.toContain('task one window');
    // Nor can task two reach task one's display: it has neither that display's cookie nor read access to it.
    const intrude = await two.run('env', [`DISPLAY=${first.desktop.display}`, 'wmctrl', '-l'], {
      timeoutMs: 5_000,
    });
    expect(intrude.exitCode).not.toBe(0);
    expect(intrude.stdout).not.toContain('task one window');
    expect((await two.run('cat', [first.desktop.xauthority])).exitCode).not.toBe(0);
  }, 60_000);

  it('starts the next task of a desktop from the known state: no files, windows or clipboard of the last', async () => {
    const slot = slots[0] as DesktopSlot;
    const before = contextOf(await slot.prepare());
    await before.writeFile('left-behind.txt', 'from the last task\n');
    before.launch('xfce4-terminal', ['--title', 'left open']);
    await before.waitForWindow(/left open/);
    // xclip stays behind to serve the text; with its output closed, run() does not wait for it.
    await before.run('sh', [
      '-c',
      'printf %s "copied by the last task" | xclip -selection clipboard >/dev/null 2>&1',
    ]);
    expect(await before.clipboard()).toBe('copied by the last task');

    const after = contextOf(await slot.prepare());
    expect(after.home).not.toBe(before.home);
    expect(await after.exists('left-behind.txt')).toBe(false);
    expect(await after.windowTitles()).not.toContain('left open');
    expect(await after.clipboard()).toBe('');
  }, 120_000);
});

describe('answer keys out of the desktop’s reach', () => {
  const folder = mkdtempSync(join(tmpdir(), 'bytebot-answer-keys-test-'));
  const reports = mkdtempSync(join(tmpdir(), 'bytebot-answer-keys-report-'));
  const slot = new DesktopSlot({
    screen,
    folder,
    token: randomBytes(16).toString('hex'),
    log: () => undefined,
    privatePaths: [reports],
  });
  const suiteSource = join(repository, 'packages/eval/src/suites/starter/pages.ts');
  const hidden = [join(repository, 'packages/eval'), join(repository, '.git'), reports];
  const aclOf = (path: string) => execFileSync('getfacl', ['-cp', path], { encoding: 'utf8' });
  let prepared: PreparedDesktop;

  beforeAll(async () => {
    mkdirSync(join(reports, 'tasks'));
    writeFileSync(join(reports, 'report.json'), '{}\n', { mode: 0o644 });
    await slot.open();
    prepared = await slot.prepare();
  }, 120_000);

  afterAll(async () => {
    await slot.close();
    rmSync(folder, { recursive: true, force: true });
    rmSync(reports, { recursive: true, force: true });
  });

  it('denies the desktop account the suite’s sources, the history, the report and the runner’s folder', async () => {
    const context = prepared.context();
    for (const path of [suiteSource, join(repository, '.git/HEAD'), join(reports, 'report.json')]) {
      const read = await context.run('cat', [path]);
      expect(read.exitCode, path).not.toBe(0);
      expect(read.stderr, path).toMatch(/Permission denied/);
      expect(read.stdout).toBe('');
    }
    expect((await context.run('ls', [reports])).stderr).toMatch(/Permission denied/);
    // tsx's cache of the runner's transpiled sources holds every suite module.
    const cache = join(tmpdir(), `tsx-${process.getuid?.() ?? 0}`);
    expect((await context.run('ls', [cache])).stderr).toMatch(/Permission denied/);
    // The run's folder and the slot's own are passages to the home: nothing in them can be listed or read.
    const slotFolder = join(folder, `slot-${slot.index}`);
    expect((await context.run('ls', [folder])).stderr).toMatch(/Permission denied/);
    expect((await context.run('ls', [slotFolder])).stderr).toMatch(/Permission denied/);
    expect((await context.run('ls', [join(slotFolder, 'bytebotd')])).exitCode).not.toBe(0);
    // What the desktop needs still works: its home, and bytebotd's file helper (run from the checkout).
    await context.writeFile('note.txt', 'mine\n');
    expect((await context.run('cat', ['note.txt'])).stdout).toBe('mine\n');
    await prepared.client.writeFile('via-bytebotd.txt', 'hi');
    expect(await context.readFile('via-bytebotd.txt')).toBe('hi');
    // Other users of the checkout are untouched: the entries name only this account.
    for (const path of hidden) expect(aclOf(path)).toContain(`user:bytebot-eval-${slot.index}:---`);
  }, 60_000);

  it('records only what a served page posts: a post forged from the desktop is refused and kept nowhere', async () => {
    const web = await startSuiteWebServer(suites.starter?.pages ?? {});
    const run = web.openRun();
    try {
      const context = prepared.context(run);
      const body = JSON.stringify({ page: 'contact', data: { submitted: true, name: 'forged' } });
      const forged = await context.run('curl', [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-H',
        'content-type: application/json',
        '--data',
        body,
        context.pageUrl('/record'),
      ]);
      expect(forged.stdout).toBe('403');
      // Nor with a made-up cookie.
      const guessed = await fetch(context.pageUrl('/record'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `bytebot-record=${'0'.repeat(48)}` },
        body,
      });
      expect(guessed.status).toBe(403);
      expect(context.pageRecords()).toEqual([]);

      // The page itself: served with its cookie (HttpOnly, not in its text), it posts with it.
      const served = await fetch(context.pageUrl('/contact-form.html'));
      const html = await served.text();
      const cookie = (served.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect(cookie).toMatch(/^bytebot-record=[0-9a-f]{48}$/);
      expect(html).not.toContain(cookie.split('=')[1]);
      expect(served.headers.get('set-cookie')).toMatch(/HttpOnly/);
      const posted = await fetch(context.pageUrl('/record'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ page: 'contact', data: { submitted: true, name: 'Ada' } }),
      });
      expect(posted.status).toBe(204);
      expect(context.pageRecords()).toMatchObject([{ page: 'contact', data: { name: 'Ada' } }]);
      // A secret belongs to its run: another run's page cannot post into this one.
      const other = web.openRun();
      const otherCookie = (await fetch(other.pageUrl('/contact-form.html'))).headers.get('set-cookie') ?? '';
      const crossed = await fetch(context.pageUrl('/record'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: otherCookie.split(';')[0] ?? '' },
        body,
      });
      expect(crossed.status).toBe(403);
      other.close();
      expect(context.pageRecords()).toHaveLength(1);
    } finally {
      run.close();
      await web.close();
    }
  }, 60_000);

  it('takes its ACL entries away when the slot closes', async () => {
    const index = slot.index;
    const second = new DesktopSlot({
      screen,
      folder,
      token: 'x',
      log: () => undefined,
      privatePaths: [reports],
    });
    await second.open();
    const account = `user:bytebot-eval-${second.index}:---`;
    expect(aclOf(reports)).toContain(account);
    await second.close();
    for (const path of hidden) {
      expect(aclOf(path)).not.toContain(account);
      expect(aclOf(path)).toContain(`user:bytebot-eval-${index}:---`);
    }
  }, 60_000);

  it('undoes what a crashed run left when that slot number is next opened', async () => {
    const crashedReports = mkdtempSync(join(tmpdir(), 'bytebot-answer-keys-crashed-'));
    try {
      // A run that dies right after opening its slot (SIGKILL: no close, no cleanup).
      const crashed = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `import { DesktopSlot } from '@bytebot/eval';
const slot = new DesktopSlot({ screen: { width: 800, height: 600 }, folder: ${JSON.stringify(folder)},
  token: 'x', log: () => {}, privatePaths: [${JSON.stringify(crashedReports)}] });
await slot.open();
process.stdout.write(String(slot.index));
process.kill(process.pid, 'SIGKILL');`,
        ],
        { cwd: repository, encoding: 'utf8', timeout: 60_000 },
      );
      expect(crashed.signal).toBe('SIGKILL');
      const index = Number(crashed.stdout);
      expect(aclOf(crashedReports)).toContain(`user:bytebot-eval-${index}:---`);
      // Claims go to the lowest free number, and a dead claimant's number is free: open until it comes round.
      const opened: DesktopSlot[] = [];
      try {
        for (let attempt = 0; attempt < 8; attempt += 1) {
          const next = new DesktopSlot({ screen, folder, token: 'x', log: () => undefined });
          await next.open();
          opened.push(next);
          if (next.index >= index) break;
        }
        expect(opened.at(-1)?.index).toBe(index);
        expect(aclOf(crashedReports)).not.toContain(`bytebot-eval-${index}`);
      } finally {
        for (const slotOpened of opened) await slotOpened.close();
      }
      // Nothing of ours left: the folder is back to its plain mode bits.
      expect(
        aclOf(crashedReports)
          .split('\n')
          .filter((line) => line.includes('::') === false && line !== ''),
      ).toEqual([]);
    } finally {
      rmSync(crashedReports, { recursive: true, force: true });
    }
  }, 120_000);
});
