import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchAsDesktopUser, waitForWindow } from './support/desktop-programs.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

describe('typing into a real text editor', () => {
  let test: TestDesktop;
  const stops: Array<() => void> = [];

  beforeAll(async () => {
    test = await startTestDesktop();
  });

  afterAll(async () => {
    for (const stop of stops) stop();
    await test?.stop();
  });

  async function openEditorOn(name: string): Promise<string> {
    const { client } = test.bytebotd;
    // An existing empty file, so Control+S saves in place instead of asking for a name.
    const written = await client.writeFile(name, '');
    stops.push(launchAsDesktopUser(test.desktop, 'mousepad', [written.path]));
    await waitForWindow(test.desktop, name);
    return written.path;
  }

  async function waitForFileContent(name: string, expected: string): Promise<string> {
    const { client } = test.bytebotd;
    let content = '';
    for (let attempt = 0; attempt < 50; attempt += 1) {
      content = (await client.readFile(name)).content.toString('utf8');
      if (content === expected) break;
      await client.wait(100);
    }
    return content;
  }

  it('leaves the exact text, Unicode included, in the saved file', async () => {
    const { client } = test.bytebotd;
    const name = `typing-${randomUUID()}.txt`;
    await openEditorOn(name);
    const text = 'Hello wörld € 日本 ✓ "quoted" <>|~ !@#$%^&*()_+{}:? ABC\nsecond line\tafter a tab';
    await client.typeText(text);
    await client.typeKeys(['ctrl', 's']);
    expect(await waitForFileContent(name, text)).toBe(text);
  });

  it('types with a per-key delay and edits with key combinations', async () => {
    const { client } = test.bytebotd;
    const name = `keys-${randomUUID()}.txt`;
    await openEditorOn(name);
    await client.typeText('ÄÖÜ ßæ — naïve café', { delay: 5 });
    // Select all and replace it: proves chords reach the application as chords.
    await client.typeKeys(['Control_L', 'a']);
    await client.typeText('replaced');
    await client.pressKeys(['Shift_L'], 'down');
    await client.typeKeys(['Home']);
    await client.pressKeys(['Shift_L'], 'up');
    await client.typeText('X');
    await client.typeKeys(['End']);
    await client.typeKeys(['Return']);
    await client.typeText('ok');
    await client.typeKeys(['Control_L', 's']);
    expect(await waitForFileContent(name, 'X\nok')).toBe('X\nok');
  });

  it('pastes long text through the clipboard', async () => {
    const { client } = test.bytebotd;
    const name = `paste-${randomUUID()}.txt`;
    await openEditorOn(name);
    const text = `${'Pasted line with ünïcödé ✓\n'.repeat(200)}end`;
    await client.pasteText(text);
    await client.typeKeys(['ctrl', 's']);
    expect(await waitForFileContent(name, text)).toBe(text);
  });
});
