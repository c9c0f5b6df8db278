import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProbePage, type ProbeEvent, type ProbePage } from './support/probe-page.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

// The probe page runs in kiosk mode, so page pixels are screen pixels: its elements sit at known points.
const buttonCentre = { x: 300, y: 190 };
const dragBox = { left: 200, top: 400 };
const scroller = { x: 800, y: 550 };

describe('mouse and screen on a real desktop', () => {
  let test: TestDesktop;
  let probe: ProbePage;

  beforeAll(async () => {
    test = await startTestDesktop();
    probe = await openProbePage(test.desktop);
  });

  afterAll(async () => {
    await probe?.close();
    await test?.stop();
  });

  it('puts the pointer where move_mouse says and reports it back', async () => {
    const { client } = test.bytebotd;
    for (const point of [
      { x: 0, y: 0 },
      { x: 640, y: 480 },
      { x: 1279, y: 959 },
      { x: 17, y: 901 },
    ]) {
      await client.moveMouse(point);
      expect(await client.cursorPosition()).toEqual(point);
    }
  });

  it('clicks a real button, with its click count and held keys', async () => {
    const { client } = test.bytebotd;
    // Each click action is its own gesture: a pause past the double-click time keeps one action's
    // clicks from counting as repeats of the one before, so every action shows exactly its own counts.
    const clicksOf = async (action: () => Promise<unknown>, last: (event: ProbeEvent) => boolean) => {
      const from = probe.events.length;
      await action();
      await probe.waitFor((event) => probe.events.indexOf(event) >= from && last(event));
      const events = probe.events.slice(from);
      await client.wait(700);
      return events;
    };

    const single = await clicksOf(
      () => client.clickMouse({ coordinates: buttonCentre }),
      (event) => event.type === 'click',
    );
    expect(single).toEqual([{ type: 'click', detail: 1, shift: false, button: 0 }]);

    const double = await clicksOf(
      () => client.clickMouse({ coordinates: buttonCentre, clickCount: 2 }),
      (event) => event.type === 'dblclick',
    );
    expect(double.filter((event) => event.type === 'click').map((event) => event.detail)).toEqual([1, 2]);

    const shifted = await clicksOf(
      () => client.clickMouse({ coordinates: buttonCentre, holdKeys: ['shift'] }),
      (event) => event.type === 'click',
    );
    expect(shifted).toEqual([{ type: 'click', detail: 1, shift: true, button: 0 }]);

    await client.clickMouse({ coordinates: buttonCentre, button: 'right' });
    await probe.waitFor((event) => event.type === 'contextmenu');
  });

  it('drags an element to where the path ends', async () => {
    const { client } = test.bytebotd;
    await client.dragMouse([
      { x: dragBox.left + 50, y: dragBox.top + 50 },
      { x: dragBox.left + 150, y: dragBox.top + 100 },
      { x: dragBox.left + 250, y: dragBox.top + 150 },
    ]);
    const drop = await probe.waitFor((event) => event.type === 'drop');
    expect(drop).toMatchObject({ left: dragBox.left + 200, top: dragBox.top + 100 });
    // The page reports the drop before Chromium paints the frame that shows it: look a few times.
    let pixel: [number, number, number] = [0, 0, 0];
    for (let attempt = 0; attempt < 30; attempt += 1) {
      pixel = await pixelAt((await client.screenshot()).data, dragBox.left + 250, dragBox.top + 150);
      if (pixel.join() === '40,90,230') break;
      await client.wait(100);
    }
    expect(pixel).toEqual([40, 90, 230]);
  });

  it('scrolls the content under the pointer', async () => {
    const { client } = test.bytebotd;
    await client.scroll({ coordinates: scroller, direction: 'down', scrollCount: 5 });
    const down = await probe.waitFor((event) => event.type === 'scroll' && Number(event.top) > 0);
    await client.scroll({ coordinates: scroller, direction: 'right', scrollCount: 3 });
    const right = await probe.waitFor((event) => event.type === 'scroll' && Number(event.left) > 0);
    expect(right.top).toBe(down.top);
  });

  it('shows a known colour at known pixels, at the display size', async () => {
    const { client } = test.bytebotd;
    const screenshot = await client.screenshot();
    expect(screenshot).toMatchObject({ mediaType: 'image/png', width: 1280, height: 960 });
    const metadata = await sharp(screenshot.data).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', 1280, 960]);
    for (const [x, y] of [
      [601, 151],
      [700, 225],
      [799, 299],
    ] as const) {
      expect(await pixelAt(screenshot.data, x, y)).toEqual([230, 40, 90]);
    }
    // Just outside the swatch the page is white again.
    expect(await pixelAt(screenshot.data, 598, 225)).toEqual([255, 255, 255]);
  });

  it('encodes JPEG and WebP at a requested size', async () => {
    const { client } = test.bytebotd;
    const jpeg = await client.screenshot({ format: 'jpeg', width: 640 });
    expect(jpeg).toMatchObject({ mediaType: 'image/jpeg', width: 640, height: 480 });
    expect((await sharp(jpeg.data).metadata()).format).toBe('jpeg');
    const webp = await client.screenshot({ format: 'webp', width: 320, height: 200 });
    const metadata = await sharp(webp.data).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['webp', 320, 200]);
    // Lossy and scaled, the swatch is still about the right colour at its scaled place.
    const [red, green, blue] = await pixelAt(jpeg.data, 350, 112);
    expect(Math.abs(red - 230) + Math.abs(green - 40) + Math.abs(blue - 90)).toBeLessThan(30);
  });
});

async function pixelAt(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [data[offset] as number, data[offset + 1] as number, data[offset + 2] as number];
}
