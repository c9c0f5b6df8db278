import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProbePage, type ProbePage } from './support/probe-page.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

// The probe page runs in kiosk mode, so page pixels are screen pixels (see probe-page.html).
const emptySpot = { x: 100, y: 900 };
const flickerButton = { x: 930, y: 180 };
const flickerSwatch = { x: 1140, y: 210 };
const flickerFinal = [20, 160, 60];
const spinButton = { x: 930, y: 330 };
const textArea = { x: 450, y: 800 };
const swatch = { x: 700, y: 225 };

interface Sent {
  status: number;
  body: { error?: { code: string; message: string; path?: Array<string | number> } };
}

describe('settle-aware actions and zoom on a real desktop', () => {
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

  async function send(body: unknown): Promise<Sent> {
    const response = await fetch(`${test.bytebotd.url}/computer-use`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${test.bytebotd.token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Sent['body'] };
  }

  it('returns a settled screenshot of a still screen once it was still for quietMs', async () => {
    const { client } = test.bytebotd;
    const result = await client.moveMouse(emptySpot, { screenshotAfter: { maxWaitMs: 5000 } });
    expect(result.success).toBe(true);
    const { screenshot } = result;
    expect(screenshot).toMatchObject({ mediaType: 'image/png', width: 1280, height: 960, settled: true });
    expect(screenshot.waitedMs).toBeGreaterThanOrEqual(100);
    expect(screenshot.waitedMs).toBeLessThan(5000);
    expect(await pixelAt(screenshot.data, swatch.x, swatch.y)).toEqual([230, 40, 90]);

    // Scaled and lossy, as the screenshot action encodes; and on an action that only looks.
    const looked = await client.cursorPosition({
      screenshotAfter: { format: 'jpeg', width: 640, quietMs: 200, maxWaitMs: 5000 },
    });
    expect(looked).toMatchObject(emptySpot);
    expect(looked.screenshot).toMatchObject({
      mediaType: 'image/jpeg',
      width: 640,
      height: 480,
      settled: true,
    });
    expect(looked.screenshot.waitedMs).toBeGreaterThanOrEqual(200);
    expect((await sharp(looked.screenshot.data).metadata()).format).toBe('jpeg');
  });

  it('waits out the animation a click starts and shows its final frame', async () => {
    const { client } = test.bytebotd;
    // The default quiet period (100 ms) assumes an application that draws without long stalls. Chromium
    // drawing in software here, with another desktop's tests on the same two cores, now and then pauses
    // longer than that between two frames of the animation (1 click in 80 in a trial): 300 ms does not.
    const result = await client.clickMouse({ coordinates: flickerButton, screenshotAfter: { quietMs: 300 } });
    expect(result.screenshot.settled).toBe(true);
    expect(await pixelAt(result.screenshot.data, flickerSwatch.x, flickerSwatch.y)).toEqual(flickerFinal);
    // The page changes the swatch for 900 ms after the click; the wait covered all of it.
    expect(result.screenshot.waitedMs).toBeGreaterThanOrEqual(900);
    await probe.waitFor((event) => event.type === 'flicker-done');
  });

  it('does not take a blinking text caret for a busy screen', async () => {
    const { client } = test.bytebotd;
    await client.clickMouse({ coordinates: textArea });
    await probe.waitFor((event) => event.type === 'focus');
    // Chromium blinks the caret every 500 ms: a quiet period three times that sees it blink.
    const result = await client.wait(0, { screenshotAfter: { quietMs: 1500, maxWaitMs: 6000 } });
    expect(result.screenshot.settled).toBe(true);
    expect(result.screenshot.waitedMs).toBeGreaterThanOrEqual(1500);
    await client.clickMouse({ coordinates: emptySpot });
  });

  it('says settled: false at maxWaitMs when the screen never stops changing', async () => {
    const { client } = test.bytebotd;
    await client.clickMouse({ coordinates: spinButton });
    const started = await probe.waitFor((event) => event.type === 'spin' && event.on === true);
    try {
      const result = await client.moveMouse(emptySpot, {
        screenshotAfter: { quietMs: 300, maxWaitMs: 1500 },
      });
      expect(result.screenshot.settled).toBe(false);
      expect(result.screenshot.waitedMs).toBeGreaterThanOrEqual(1500);
      expect(result.screenshot.waitedMs).toBeLessThan(1500 + 500);
      expect(result.screenshot).toMatchObject({ mediaType: 'image/png', width: 1280, height: 960 });
    } finally {
      await client.clickMouse({ coordinates: spinButton });
      await probe.waitFor((event) => event.type === 'spin' && event.toggles === Number(started.toggles) + 1);
    }
  });

  it('refuses a bad screenshotAfter or zoom with 400 naming the field, and does nothing', async () => {
    const { client } = test.bytebotd;
    await client.moveMouse(emptySpot);
    const move = { action: 'move_mouse', coordinates: { x: 10, y: 10 } };
    const cases: Array<[unknown, string, Array<string | number> | undefined, RegExp]> = [
      [
        { ...move, screenshotAfter: { quietMs: -1 } },
        'INVALID_REQUEST',
        ['screenshotAfter', 'quietMs'],
        /screenshotAfter\.quietMs: expected a number >= 0/,
      ],
      [
        { ...move, screenshotAfter: { colour: 'red' } },
        'INVALID_REQUEST',
        ['screenshotAfter'],
        /screenshotAfter: unknown field "colour"/,
      ],
      [
        { ...move, screenshotAfter: { maxWaitMs: 60_000 } },
        'INVALID_REQUEST',
        ['screenshotAfter', 'maxWaitMs'],
        /<= 10000/,
      ],
      [
        { ...move, screenshotAfter: { quietMs: 3000 } },
        'INVALID_REQUEST',
        ['screenshotAfter', 'quietMs'],
        /at most maxWaitMs/,
      ],
      [
        { ...move, screenshotAfter: { width: 99_999 } },
        'INVALID_REQUEST',
        ['screenshotAfter', 'width'],
        /<= 32767/,
      ],
      [
        { ...move, screenshotAfter: { width: 6000 } },
        'OUT_OF_BOUNDS',
        ['screenshotAfter', 'width'],
        /screenshotAfter\.width: 6000 is more than 4 times the screen width/,
      ],
      [
        { action: 'screenshot', screenshotAfter: {} },
        'INVALID_REQUEST',
        undefined,
        /unknown field "screenshotAfter"/,
      ],
      [
        { action: 'zoom', region: { x: 1200, y: 0, width: 100, height: 10 } },
        'OUT_OF_BOUNDS',
        ['region', 'width'],
        /region\.width: 100 from x 1200 passes the edge of the screen, expected at most 80/,
      ],
      [
        { action: 'zoom', region: { x: 0, y: 960, width: 1, height: 1 } },
        'OUT_OF_BOUNDS',
        ['region', 'y'],
        /region\.y: 960 is off the screen, expected 0 to 959/,
      ],
      [
        { action: 'zoom', region: { x: 0, y: 0, width: 10, height: 10 }, scale: 5 },
        'INVALID_REQUEST',
        ['scale'],
        /scale: expected a number <= 4/,
      ],
      [
        { action: 'zoom', region: { x: 0, y: 0, width: 10 } },
        'INVALID_REQUEST',
        ['region', 'height'],
        /region\.height: required/,
      ],
    ];
    for (const [body, code, path, message] of cases) {
      const sent = await send(body);
      expect(sent.status, JSON.stringify(body)).toBe(400);
      expect(sent.body.error?.code, JSON.stringify(body)).toBe(code);
      expect(sent.body.error?.path, JSON.stringify(body)).toEqual(path);
      expect(sent.body.error?.message, JSON.stringify(body)).toMatch(message);
    }
    expect(await client.cursorPosition()).toEqual(emptySpot);
  });

  it('zooms: the pixels of the region in a full screenshot, enlarged by nearest neighbour', async () => {
    const { client } = test.bytebotd;
    // The button, its label and the swatch's left edge: edges and text to compare, not just flat colour.
    const region = { x: 181, y: 131, width: 460, height: 117 };
    const zoom = await client.zoom(region);
    const screenshot = await client.screenshot();
    expect(zoom).toMatchObject({ mediaType: 'image/png', width: region.width, height: region.height });
    const zoomed = await rgb(zoom.data);
    const cropped = await sharp(screenshot.data)
      .extract({ left: region.x, top: region.y, width: region.width, height: region.height })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([zoomed.info.width, zoomed.info.height]).toEqual([cropped.info.width, cropped.info.height]);
    expect(zoomed.data.equals(cropped.data)).toBe(true);

    const twice = await client.zoom(region, { scale: 2 });
    expect([twice.width, twice.height]).toEqual([region.width * 2, region.height * 2]);
    const enlarged = await rgb(twice.data);
    expect([enlarged.info.width, enlarged.info.height]).toEqual([region.width * 2, region.height * 2]);
    let mismatches = 0;
    for (let y = 0; y < region.height * 2; y += 1) {
      for (let x = 0; x < region.width * 2; x += 1) {
        const source = (Math.floor(y / 2) * region.width + Math.floor(x / 2)) * 3;
        const target = (y * region.width * 2 + x) * 3;
        if (enlarged.data.compare(zoomed.data, source, source + 3, target, target + 3) !== 0) mismatches += 1;
      }
    }
    expect(mismatches).toBe(0);

    const jpeg = await client.zoom({ x: 0, y: 0, width: 1280, height: 960 }, { scale: 1.5, format: 'jpeg' });
    expect(jpeg).toMatchObject({ mediaType: 'image/jpeg', width: 1920, height: 1440 });
    const metadata = await sharp(jpeg.data).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 1920, 1440]);
  });
});

async function rgb(image: Buffer) {
  return sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}

async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await rgb(image);
  const offset = (y * info.width + x) * info.channels;
  return [data[offset] as number, data[offset + 1] as number, data[offset + 2] as number];
}
