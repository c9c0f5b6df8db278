import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DesktopSlot, type PreparedDesktop } from '@bytebot/eval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const screen = { width: 1024, height: 768 };

function contextOf(prepared: PreparedDesktop) {
  return prepared.context();
}

describe('isolation of evaluation tasks', () => {
  const folder = mkdtempSync(join(tmpdir(), 'bytebot-isolation-test-'));
  const token = randomBytes(16).toString('hex');
  const slots = [1, 2].map(() => new DesktopSlot({ screen, folder, token, log: () => undefined }));

  beforeAll(async () => {
    for (const slot of slots) await slot.open();
  });

  afterAll(async () => {
    for (const slot of slots) await slot.close();
    rmSync(folder, { recursive: true, force: true });
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
  }, 60_000);
});
