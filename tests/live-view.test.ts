/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { chromiumLaunchOptions } from './support/chromium.ts';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

/** Mean absolute difference per channel between two same-sized RGB rasters. */
function meanDifference(first: Buffer, second: Buffer): number {
  let total = 0;
  for (let index = 0; index < first.length; index += 1)
    total += Math.abs((first[index] ?? 0) - (second[index] ?? 0));
  return total / first.length;
}

describe('live view in the browser through noVNC', () => {
  let test: TestDesktop;
  let browser: Browser;

  beforeAll(async () => {
    test = await startTestDesktop({ vnc: true });
    browser = await chromium.launch(chromiumLaunchOptions);
  });

  afterAll(async () => {
    await browser?.close();
    await test?.stop();
  });

  it('shows the desktop, panel included, in the page', async () => {
    const { url, token, client } = test.bytebotd;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const websocketPath = encodeURIComponent(`websockify?token=${token}`);
    const liveView = (await (
      await fetch(`${url}/live-view`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { password: string };
    expect(liveView.password).toHaveLength(8);
    await page.goto(
      `${url}/novnc/vnc.html?autoconnect=1&resize=off&path=${websocketPath}#password=${encodeURIComponent(liveView.password)}`,
    );
    const canvas = page.locator('#noVNC_container canvas');
    await canvas.waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForFunction(
      () => {
        const element = document.querySelector('#noVNC_container canvas') as HTMLCanvasElement | null;
        return element !== null && element.width === 1280 && element.height === 960;
      },
      undefined,
      { timeout: 30_000 },
    );
    // Let the first full frame arrive before comparing.
    await page.waitForTimeout(1500);
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the noVNC canvas has no box');
    const pageImage = await page.screenshot({ clip: { x: box.x, y: box.y, width: 1280, height: 960 } });
    mkdirSync('test-results', { recursive: true });
    await sharp(pageImage).toFile('test-results/novnc-page.png');

    const desktopImage = (await client.screenshot()).data;
    // XFCE's panel sits along the top: the same 40 rows must appear in the page as on the desktop.
    const region = { left: 0, top: 0, width: 1280, height: 40 };
    const inPage = await sharp(pageImage).extract(region).removeAlpha().raw().toBuffer();
    const onDesktop = await sharp(desktopImage).extract(region).removeAlpha().raw().toBuffer();
    expect(meanDifference(inPage, onDesktop)).toBeLessThan(4);
    // And the panel is not blank: it has text and icons, so its pixels vary.
    const stats = await sharp(onDesktop, { raw: { width: 1280, height: 40, channels: 3 } }).stats();
    expect(stats.channels[0]?.stdev ?? 0).toBeGreaterThan(5);
    await page.close();
  });

  it('refuses a websocket upgrade without the token', async () => {
    const websocketUrl = test.bytebotd.url.replace('http://', 'ws://');
    for (const path of ['/websockify', '/websockify?token=wrong']) {
      const status = await new Promise<number>((resolvePromise, rejectPromise) => {
        const socket = new WebSocket(`${websocketUrl}${path}`, ['binary']);
        socket.on('unexpected-response', (_request, response) => {
          resolvePromise(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.on('open', () => rejectPromise(new Error(`${path} was accepted`)));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    }
  });

  it('has a VNC server that asks for its password, on 127.0.0.1', async () => {
    const port = test.desktop.vncPort as number;
    const securityTypes = await new Promise<number[]>((resolvePromise, rejectPromise) => {
      const socket = connect({ host: '127.0.0.1', port });
      let received = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length === 12) socket.write('RFB 003.008\n');
        if (received.length > 12 && received.length >= 13 + (received[12] ?? 0)) {
          resolvePromise([...received.subarray(13, 13 + (received[12] ?? 0))]);
          socket.destroy();
        }
      });
      socket.on('error', rejectPromise);
    });
    // 2 is VNC authentication; 1 (none) must not be offered.
    expect(securityTypes).toContain(2);
    expect(securityTypes).not.toContain(1);
  });
});
