import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

const screen = { width: 1280, height: 960 };
const burst = 200;
/** ARCHITECTURE.md's budget for bytebotd under 200 concurrent screenshots. */
const peakBudgetMegabytes = 500;

/** The most memory the process has held at once since it started (the kernel's high-water mark). */
function peakRssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
}

describe('200 concurrent screenshots', () => {
  let test: TestDesktop;

  beforeAll(async () => {
    test = await startTestDesktop({ screen });
  });

  afterAll(async () => {
    await test?.stop();
  });

  it(`answers every one with a PNG of the screen and keeps bytebotd under ${peakBudgetMegabytes} MB`, async () => {
    const { client, pid } = test.bytebotd;
    await client.screenshot();
    // Two bursts: the second is where memory used to pile up (1.9 GB, and it stayed there).
    for (let round = 1; round <= 2; round += 1) {
      const shots = await Promise.all(Array.from({ length: burst }, () => client.screenshot()));
      const distinct = new Map<string, Buffer>();
      for (const shot of shots) {
        expect([shot.mediaType, shot.width, shot.height]).toEqual(['image/png', screen.width, screen.height]);
        expect(shot.data.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
        distinct.set(createHash('sha256').update(shot.data).digest('hex'), shot.data);
      }
      // Every distinct image decodes whole, to a picture of the screen's size.
      for (const data of distinct.values()) {
        const { info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
        expect([info.width, info.height]).toEqual([screen.width, screen.height]);
      }
      console.log(
        `burst ${round}: ${burst} screenshots, ${distinct.size} distinct images; ` +
          `bytebotd peak RSS so far ${peakRssMegabytes(pid).toFixed(0)} MB`,
      );
    }
    expect(peakRssMegabytes(pid)).toBeLessThan(peakBudgetMegabytes);
  });
});
