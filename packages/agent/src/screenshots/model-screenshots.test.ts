import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContentBlock, ImageBlock, StoredContentBlock, StoredImageBlock } from '@bytebot/protocol';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshotEncodings } from '../model/screenshot-encoding.ts';
import { encodeScreenshot, ModelScreenshots } from './model-screenshots.ts';
import { ScreenshotStore } from './screenshot-store.ts';

/** A screen-like picture: anti-aliased lines of text in a window over a busy picture of a wallpaper. */
async function screenPng(seed: number): Promise<Buffer> {
  const width = 480;
  const height = 260;
  const wallpaper = Buffer.alloc(width * height * 3);
  let state = seed + 1;
  for (let index = 0; index < wallpaper.length; index += 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    wallpaper[index] = 60 + ((index * 7) % 90) + (state >>> 27);
  }
  const lines = Array.from(
    { length: 14 },
    (_, index) =>
      `<text x="24" y="${40 + index * 14}" font-family="sans-serif" font-size="11">Line ${index + seed}: the quarterly report, invoices and the weekly schedule ${seed * 31 + index}</text>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="16" y="20" width="300" height="224" fill="#f6f5f4"/>${lines.join('')}</svg>`;
  return sharp(wallpaper, { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .png({ compressionLevel: 1 })
    .toBuffer();
}

const kind = (bytes: Buffer): string =>
  bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
    ? 'image/png'
    : bytes[0] === 0xff && bytes[1] === 0xd8
      ? 'image/jpeg'
      : bytes.toString('latin1', 8, 12) === 'WEBP'
        ? 'image/webp'
        : 'unknown';

const screenshotsOf = (messages: Array<{ content: ContentBlock[] }>) =>
  messages
    .flatMap((message) => message.content)
    .flatMap((block) => (block.type === 'tool_result' ? block.content : []))
    .filter((part): part is ImageBlock => part.type === 'image');

describe('screenshots as the model gets them', () => {
  const folder = mkdtempSync(join(tmpdir(), 'model-screenshots-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  class CountingStore extends ScreenshotStore {
    reads = 0;
    override async read(taskId: string, id: string) {
      this.reads += 1;
      return super.read(taskId, id);
    }
  }

  async function conversation(store: ScreenshotStore, taskId: string, count: number) {
    const messages: Array<{ role: 'user' | 'assistant'; content: StoredContentBlock[] }> = [
      { role: 'user', content: [{ type: 'text', text: 'the task' }] },
    ];
    for (let index = 0; index < count; index += 1) {
      const stored = await store.saveBytes(taskId, await screenPng(index), 'image/png');
      messages.push(
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: `call-${index}`, name: 'computer', input: {} }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: `call-${index}`, content: [stored] }] },
      );
    }
    return messages;
  }

  it('sends the newest in its encoding and the ones before it in theirs, labelled as what they are', async () => {
    const store = new ScreenshotStore(folder);
    const taskId = randomUUID();
    const messages = await conversation(store, taskId, 3);
    const inlined = await new ModelScreenshots(store).inline(taskId, messages, {
      newest: { format: 'webp', quality: 80 },
      older: { format: 'jpeg', quality: 60 },
    });
    const images = screenshotsOf(inlined);
    expect(images.map((image) => image.source.media_type)).toEqual([
      'image/jpeg',
      'image/jpeg',
      'image/webp',
    ]);
    for (const image of images)
      expect(kind(Buffer.from(image.source.data, 'base64'))).toBe(image.source.media_type);
    // The stored files stay the lossless PNGs.
    const last = messages.at(-1)?.content[0];
    const stored = last?.type === 'tool_result' ? (last.content[0] as StoredImageBlock) : undefined;
    expect(stored).toBeDefined();
    expect(kind((await store.read(taskId, stored?.source.id ?? '')) as Buffer)).toBe('image/png');
  });

  it('encodes each screenshot once per encoding, the older copy of the newest ahead of the next step', async () => {
    const store = new CountingStore(folder);
    const taskId = randomUUID();
    const modelScreenshots = new ModelScreenshots(store);
    const messages = await conversation(store, taskId, 2);
    await modelScreenshots.inline(taskId, messages, screenshotEncodings.anthropic);
    // Two screenshots sent, and the newest's older copy made for the next request.
    await modelScreenshots.idle();
    expect(store.reads).toBe(3);
    const longer = [...messages, ...(await conversation(store, taskId, 3)).slice(-2)];
    store.reads = 0;
    await modelScreenshots.inline(taskId, longer.slice(1), screenshotEncodings.anthropic);
    await modelScreenshots.idle();
    // Only the new screenshot is read: once for now (newest), once for the next request (older).
    expect(store.reads).toBe(2);
  });

  it('sends the smallest of the PNG, the lossy copy and (at screen pixels) lossless WebP; PNG as it is', async () => {
    const tiny = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#203040' } })
      .png()
      .toBuffer();
    expect(await encodeScreenshot(tiny, 'image/png', { format: 'jpeg', quality: 85 })).toEqual({
      data: tiny,
      mediaType: 'image/png',
      lossless: true,
    });
    const screen = await screenPng(1);
    expect(await encodeScreenshot(screen, 'image/png', { format: 'png' })).toEqual({
      data: screen,
      mediaType: 'image/png',
      lossless: true,
    });
    // A busy picture behind the window: the lossy copy is the smallest.
    const lossy = await encodeScreenshot(screen, 'image/png', { format: 'webp', quality: 80 });
    expect(lossy).toMatchObject({ mediaType: 'image/webp', lossless: false });
    expect(lossy.data.toString('latin1', 12, 16)).toBe('VP8 ');
    expect(lossy.data.length).toBeLessThan(screen.length);
    // Flat colours and sharp glyphs at the screen's own pixels: lossless WebP is.
    const width = 400;
    const height = 300;
    const pixels = Buffer.alloc(width * height * 3, 250);
    for (let y = 0; y < height; y += 1)
      for (let x = 0; x < width; x += 1)
        if (y % 14 < 9 && (x * 7 + Math.floor(y / 14) * 13) % 11 < 4)
          pixels.fill(30, (y * width + x) * 3, (y * width + x) * 3 + 3);
    const flat = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const exact = await encodeScreenshot(
      flat,
      'image/png',
      { format: 'webp', quality: 80 },
      { atScreenPixels: true },
    );
    expect(exact).toMatchObject({ mediaType: 'image/webp', lossless: true });
    expect(exact.data.toString('latin1', 12, 16)).toBe('VP8L');
    expect((await sharp(exact.data).raw().toBuffer()).equals(await sharp(flat).raw().toBuffer())).toBe(true);
    // A scaled screenshot is not tried losslessly (resampled edges: larger, and slower to make).
    const scaled = await encodeScreenshot(flat, 'image/png', { format: 'webp', quality: 80 });
    expect(scaled.data.toString('latin1', 12, 16)).not.toBe('VP8L');
  });

  it('takes the lossless copy of the newest screenshot again for its older copy', async () => {
    const store = new ScreenshotStore(folder);
    const taskId = randomUUID();
    const width = 400;
    const height = 300;
    const pixels = Buffer.alloc(width * height * 3, 250);
    for (let index = 0; index < width * height; index += 1)
      if ((index % width) % 9 < 3 && Math.floor(index / width) % 12 < 8)
        pixels.fill(30, index * 3, index * 3 + 3);
    const flat = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    const first = await store.saveBytes(taskId, flat, 'image/png');
    const second = await store.saveBytes(taskId, await screenPng(3), 'image/png');
    const turn = (id: string, image: StoredImageBlock) => [
      {
        role: 'assistant' as const,
        content: [{ type: 'tool_use' as const, id, name: 'computer', input: {} }],
      },
      {
        role: 'user' as const,
        content: [{ type: 'tool_result' as const, tool_use_id: id, content: [image] }],
      },
    ];
    const modelScreenshots = new ModelScreenshots(store);
    const facts = { atScreenPixels: true };
    const [newest] = screenshotsOf(
      await modelScreenshots.inline(taskId, turn('a', first), screenshotEncodings.anthropic, facts),
    );
    await modelScreenshots.idle();
    const [older] = screenshotsOf(
      await modelScreenshots.inline(
        taskId,
        [...turn('a', first), ...turn('b', second)],
        screenshotEncodings.anthropic,
        facts,
      ),
    );
    expect(Buffer.from(newest?.source.data ?? '', 'base64').toString('latin1', 12, 16)).toBe('VP8L');
    expect(older?.source.data).toBe(newest?.source.data);
  });

  it("leaves a person's images as they are, and notes a screenshot whose file is gone", async () => {
    const store = new ScreenshotStore(folder);
    const taskId = randomUUID();
    const attached = await store.saveBytes(taskId, await screenPng(9), 'image/png');
    const gone: StoredImageBlock = {
      type: 'image',
      source: { type: 'file', media_type: 'image/png', id: `${'0'.repeat(64)}.png` },
    };
    const inlined = await new ModelScreenshots(store).inline(
      taskId,
      [
        { role: 'user', content: [attached] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'computer', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: [gone] }] },
      ],
      screenshotEncodings.gemini,
    );
    expect(inlined[0]?.content[0]).toMatchObject({ type: 'image', source: { media_type: 'image/png' } });
    expect(inlined[2]?.content[0]).toMatchObject({
      type: 'tool_result',
      content: [{ type: 'text', text: '[a screenshot that is no longer stored]' }],
    });
  });
});
