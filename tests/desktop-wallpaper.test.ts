import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { startTestDesktop } from './support/test-desktop.ts';

/** The share of the screen in its most common colour. */
async function flatShare(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const counts = new Map<number, number>();
  for (let offset = 0; offset < data.length; offset += info.channels) {
    const colour =
      ((data[offset] as number) << 16) | ((data[offset + 1] as number) << 8) | (data[offset + 2] as number);
    counts.set(colour, (counts.get(colour) ?? 0) + 1);
  }
  return Math.max(...counts.values()) / (info.width * info.height);
}

async function screenshotWith(wallpaper: string | undefined): Promise<Buffer> {
  const previous = process.env.BYTEBOT_WALLPAPER;
  if (wallpaper === undefined) delete process.env.BYTEBOT_WALLPAPER;
  else process.env.BYTEBOT_WALLPAPER = wallpaper;
  let test: Awaited<ReturnType<typeof startTestDesktop>> | undefined;
  try {
    test = await startTestDesktop();
  } finally {
    if (previous === undefined) delete process.env.BYTEBOT_WALLPAPER;
    else process.env.BYTEBOT_WALLPAPER = previous;
  }
  try {
    // xfdesktop draws the backdrop a moment after the session is up: once the screen is still.
    const settled = await test.bytebotd.client.wait(500, {
      screenshotAfter: { format: 'png', quietMs: 300 },
    });
    return Buffer.from((settled.screenshot as { image: string }).image, 'base64');
  } finally {
    await test.stop();
  }
}

describe('the desktop behind the windows', () => {
  it("is one flat colour by default, and XFCE's picture with BYTEBOT_WALLPAPER=default", async () => {
    const plain = await screenshotWith(undefined);
    expect(await flatShare(plain)).toBeGreaterThan(0.85);
    // XFCE's picture: thin curves over the same dark blue, about six times the bytes of an empty screen.
    const picture = await screenshotWith('default');
    expect(plain.length * 3).toBeLessThan(picture.length);
    // The next start without the variable is plain again.
    const again = await screenshotWith(undefined);
    expect(again.length * 3).toBeLessThan(picture.length);
  }, 90_000);
});
