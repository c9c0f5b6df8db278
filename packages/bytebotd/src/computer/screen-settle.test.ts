import { describe, expect, it } from 'vitest';
import { BytebotdError } from '../bytebotd-error.ts';
import type { RawFrame } from './raw-input.ts';
import { compareFrames, type SettleClock, sampleIntervalMs, waitForStillScreen } from './screen-settle.ts';

const width = 320;
const height = 240;

/** A white frame with the given rectangles painted in a colour. */
function frame(
  rectangles: Array<{ x: number; y: number; width: number; height: number; colour?: number }> = [],
): RawFrame {
  const data = Buffer.alloc(width * height * 4, 0xff);
  for (const rectangle of rectangles) {
    for (let row = rectangle.y; row < rectangle.y + rectangle.height; row += 1) {
      for (let column = rectangle.x; column < rectangle.x + rectangle.width; column += 1)
        data.writeUInt32LE(rectangle.colour ?? 0xff000000, (row * width + column) * 4);
    }
  }
  return { data, width, height };
}

describe('compareFrames', () => {
  const blank = frame();

  it('sees no change in an identical frame', () => {
    expect(compareFrames(blank, frame())).toBe('none');
  });

  it('takes a thin bar of up to 4 x 64 pixels, either way round, for a caret', () => {
    expect(compareFrames(blank, frame([{ x: 100, y: 50, width: 1, height: 18 }]))).toBe('caret');
    expect(compareFrames(blank, frame([{ x: 0, y: 0, width: 4, height: 64 }]))).toBe('caret');
    expect(compareFrames(blank, frame([{ x: 316, y: 236, width: 4, height: 4 }]))).toBe('caret');
    expect(compareFrames(blank, frame([{ x: 200, y: 200, width: 64, height: 2 }]))).toBe('caret');
  });

  it('takes anything wider, taller or spread out for a change', () => {
    for (const rectangles of [
      [{ x: 100, y: 50, width: 5, height: 5 }],
      [{ x: 100, y: 50, width: 2, height: 65 }],
      [{ x: 100, y: 50, width: 65, height: 1 }],
      [{ x: 0, y: 0, width: width, height: height }],
      [
        { x: 10, y: 10, width: 1, height: 10 },
        { x: 200, y: 10, width: 1, height: 10 },
      ],
      [
        { x: 10, y: 10, width: 1, height: 10 },
        { x: 10, y: 200, width: 1, height: 10 },
      ],
    ]) {
      expect(compareFrames(blank, frame(rectangles)), JSON.stringify(rectangles)).toBe('changed');
    }
    expect(compareFrames(blank, { data: Buffer.alloc(8 * 8 * 4), width: 8, height: 8 })).toBe('changed');
  });

  it('reads frames that do not start on a 4-byte boundary alike', () => {
    const unaligned = (source: RawFrame): RawFrame => {
      const backing = Buffer.alloc(source.data.length + 1);
      source.data.copy(backing, 1);
      return { ...source, data: backing.subarray(1) };
    };
    const caret = frame([{ x: 100, y: 50, width: 1, height: 18 }]);
    const box = frame([{ x: 100, y: 50, width: 30, height: 30 }]);
    expect(unaligned(caret).data.byteOffset % 4).not.toBe(0);
    expect(compareFrames(unaligned(blank), unaligned(caret))).toBe('caret');
    expect(compareFrames(blank, unaligned(box))).toBe('changed');
    expect(compareFrames(unaligned(box), box)).toBe('none');
  });
});

/**
 * Time that moves only when the code under test sleeps or grabs (3 ms a grab), and a screen whose
 * picture is a function of that time.
 */
function simulatedScreen(picture: (time: number) => RawFrame) {
  let time = 0;
  const grabTimes: number[] = [];
  const clock: SettleClock = {
    now: () => time,
    async sleep(milliseconds, signal) {
      if (signal.aborted) throw signal.reason;
      time += milliseconds;
    },
  };
  const grab = async () => {
    grabTimes.push(time);
    const grabbed = picture(time);
    time += 3;
    return grabbed;
  };
  return { clock, grab, grabTimes };
}

const still = frame();
const never = new AbortController().signal;

describe('waitForStillScreen', () => {
  it('returns the first moment the screen has been still for quietMs', async () => {
    const screen = simulatedScreen(() => still);
    const result = await waitForStillScreen(
      screen.grab,
      { quietMs: 100, maxWaitMs: 2000 },
      never,
      screen.clock,
    );
    expect(result).toMatchObject({ settled: true, waitedMs: 100 });
    expect(result.frame).toBe(still);
    // One frame per sample interval, and the last one exactly when the quiet period ends.
    expect(screen.grabTimes.at(-1)).toBe(100);
    expect(result.frames).toBe(Math.ceil(100 / sampleIntervalMs) + 1);
  });

  it('waits until an animation stops and returns its last picture', async () => {
    const final = frame([{ x: 10, y: 10, width: 50, height: 50, colour: 0xff00ff00 }]);
    const screen = simulatedScreen((time) =>
      time >= 900 ? final : frame([{ x: 10, y: 10, width: 50, height: 50, colour: 0xff000000 + time }]),
    );
    const result = await waitForStillScreen(
      screen.grab,
      { quietMs: 100, maxWaitMs: 2000 },
      never,
      screen.clock,
    );
    expect(result.settled).toBe(true);
    expect(result.frame).toBe(final);
    expect(result.waitedMs).toBeGreaterThanOrEqual(1000);
    expect(result.waitedMs).toBeLessThan(1000 + sampleIntervalMs + 3);
  });

  it('stretches the quiet period while the screen animates, so an uneven frame is not the end', async () => {
    // Frames every 60 ms with one late by 35 ms, as Chromium drawing in software shows them.
    const changes = [60, 120, 180, 240, 335, 395, 455];
    const picture = (time: number) => {
      const shown = changes.filter((change) => change <= time).length;
      return frame([{ x: 0, y: 0, width: 100, height: 100, colour: 0xff000000 + shown }]);
    };
    const screen = simulatedScreen(picture);
    const result = await waitForStillScreen(
      screen.grab,
      { quietMs: 80, maxWaitMs: 2000 },
      never,
      screen.clock,
    );
    expect(result.settled).toBe(true);
    expect(compareFrames(result.frame, picture(10_000))).toBe('none');
    // Quiet for twice the longest pause (95 ms), at most twice quietMs: 160 ms after the last change.
    expect(result.waitedMs).toBeGreaterThanOrEqual(455 + 160);
    expect(result.waitedMs).toBeLessThan(455 + 160 + sampleIntervalMs + 3);
  });

  it('waits only quietMs after a single change', async () => {
    const changed = frame([{ x: 0, y: 0, width: 100, height: 100 }]);
    const screen = simulatedScreen((time) => (time < 50 ? still : changed));
    const result = await waitForStillScreen(
      screen.grab,
      { quietMs: 100, maxWaitMs: 2000 },
      never,
      screen.clock,
    );
    expect(result.settled).toBe(true);
    expect(result.frame).toBe(changed);
    expect(result.waitedMs).toBeGreaterThanOrEqual(150);
    expect(result.waitedMs).toBeLessThan(150 + sampleIntervalMs + 3);
  });

  it('gives up at maxWaitMs with the last frame when the screen never stops', async () => {
    const screen = simulatedScreen((time) => frame([{ x: 0, y: 0, width: 100, height: 100, colour: time }]));
    const result = await waitForStillScreen(
      screen.grab,
      { quietMs: 100, maxWaitMs: 700 },
      never,
      screen.clock,
    );
    expect(result.settled).toBe(false);
    expect(result.waitedMs).toBe(700);
  });

  it('does not let a blinking caret keep the screen busy', async () => {
    const caret = frame([{ x: 50, y: 50, width: 1, height: 18 }]);
    const screen = simulatedScreen((time) => (Math.floor(time / 50) % 2 === 0 ? still : caret));
    const result = await waitForStillScreen(
      screen.grab,
      { quietMs: 500, maxWaitMs: 2000 },
      never,
      screen.clock,
    );
    expect(result).toMatchObject({ settled: true, waitedMs: 500 });
  });

  it('takes one frame when no quiet period is asked for', async () => {
    const screen = simulatedScreen(() => still);
    const result = await waitForStillScreen(screen.grab, { quietMs: 0, maxWaitMs: 0 }, never, screen.clock);
    expect(result).toMatchObject({ settled: true, waitedMs: 0, frames: 1 });
  });

  it('stops with the deadline', async () => {
    const controller = new AbortController();
    controller.abort(new BytebotdError('TIMEOUT', 'too late'));
    const screen = simulatedScreen(() => still);
    await expect(
      waitForStillScreen(screen.grab, { quietMs: 100, maxWaitMs: 2000 }, controller.signal, screen.clock),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
