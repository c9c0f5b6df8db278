import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import type { EncodedImage, RawFrame, RawScreen } from './raw-input.ts';
import { shareScreen } from './shared-screen.ts';

async function tick(milliseconds = 5): Promise<void> {
  await new Promise((resolvePromise) => setTimeout(resolvePromise, milliseconds));
}

/** A screen that counts its grabs and encodings and how many ran at once. */
function countingScreen() {
  const counts = { grabs: 0, regionGrabs: 0, encodes: 0, running: 0, mostAtOnce: 0 };
  const busy = async <T>(value: () => T): Promise<T> => {
    counts.running += 1;
    counts.mostAtOnce = Math.max(counts.mostAtOnce, counts.running);
    await tick();
    counts.running -= 1;
    return value();
  };
  const screen: RawScreen = {
    size: async () => ({ width: 4, height: 2 }),
    grab: (region) =>
      busy((): RawFrame => {
        if (region) counts.regionGrabs += 1;
        else counts.grabs += 1;
        return { data: Buffer.alloc(32, counts.grabs), width: 4, height: 2 };
      }),
    encode: (frame, options) =>
      busy((): EncodedImage => {
        counts.encodes += 1;
        return {
          data: Buffer.from(frame.data),
          mediaType: 'image/png',
          width: options.width ?? 4,
          height: 2,
        };
      }),
  };
  return { screen, counts };
}

describe('shareScreen', () => {
  it('gives 200 concurrent screenshots a few grabs and encodings, two at a time at most', async () => {
    const { screen, counts } = countingScreen();
    const shared = shareScreen(screen, 2);
    const images = await Promise.all(
      Array.from({ length: 200 }, async () => shared.encode(await shared.grab(), { format: 'png' })),
    );
    expect(images).toHaveLength(200);
    // The first two start at once; everyone else joins the third, which waits for a turn.
    expect(counts.grabs).toBe(3);
    expect(counts.encodes).toBe(3);
    expect(counts.mostAtOnce).toBe(2);
    expect(new Set(images).size).toBe(3);
  });

  it('never hands out a frame whose grab began before the call', async () => {
    const { screen, counts } = countingScreen();
    const shared = shareScreen(screen, 4);
    const first = shared.grab();
    // The first grab is under way (a free turn starts it at once): a later caller gets a grab of its own.
    const second = shared.grab();
    expect(await first).not.toBe(await second);
    expect(counts.grabs).toBe(2);
  });

  it('encodes a frame once per set of options, and grabs regions for each caller', async () => {
    const { screen, counts } = countingScreen();
    const shared = shareScreen(screen, 2);
    const frame = await shared.grab();
    const [png, again, scaled] = await Promise.all([
      shared.encode(frame, { format: 'png' }),
      shared.encode(frame, { format: 'png' }),
      shared.encode(frame, { format: 'png', width: 2 }),
    ]);
    expect(png).toBe(again);
    expect(scaled).not.toBe(png);
    expect(counts.encodes).toBe(2);
    const region = { x: 0, y: 0, width: 2, height: 2 };
    await Promise.all([shared.grab(region), shared.grab(region)]);
    expect(counts.regionGrabs).toBe(2);
  });

  it('passes a failed grab to everyone who waited for it, and tries afresh for the next caller', async () => {
    let failing = true;
    const { screen } = countingScreen();
    const shared = shareScreen(
      {
        ...screen,
        grab: async (region) => {
          await tick();
          if (failing) throw new Error('X server gone');
          return screen.grab(region);
        },
      },
      1,
    );
    const results = await Promise.allSettled([shared.grab(), shared.grab(), shared.grab()]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    failing = false;
    await expect(shared.grab()).resolves.toMatchObject({ width: 4 });
  });
});

describe('ConcurrencyLimit', () => {
  it('runs at most its limit at once, in the order asked', async () => {
    const limit = new ConcurrencyLimit(2);
    const started: number[] = [];
    let running = 0;
    let mostAtOnce = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        limit.run(async () => {
          started.push(index);
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          await tick(index === 0 ? 20 : 2);
          running -= 1;
        }),
      ),
    );
    expect(mostAtOnce).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(limit.load).toEqual({ active: 0, waiting: 0 });
  });

  it('frees the turn of work that failed', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(limit.run(async () => 'next')).resolves.toBe('next');
  });
});
