import { sleep, throwIfAborted } from './abortable.ts';
import type { RawFrame } from './raw-input.ts';

/**
 * How two frames differ. Frames are compared whole, every pixel, with the frame before: `Buffer#equals`
 * is one memcmp of the 4.9 MB frame (~0.1 ms at 1280x960, against ~3.5 ms for the grab itself), so
 * there is no sampling to miss a one-character change and no hash to compute (SHA-1 of a frame takes
 * ~2.3 ms). Only when they differ are the changed rows and columns bounded, to tell a text caret
 * blinking from the screen at work: ~0.1 ms for a large change (more than 64 rows stops the search at
 * once), ~0.3 ms for a caret.
 */
export type FrameChange = 'none' | 'caret' | 'changed';

/**
 * A caret is a thin bar: a change that fits in 4 x 64 pixels (or 64 x 4, for an underline cursor). Line
 * carets are 1-2 px wide and as tall as a line of text. A caret blinks every 500-600 ms (Chromium, GTK,
 * Qt), so with the default quietMs of 100 it could not keep a screen busy anyway, but a caller asking for
 * a longer quiet period would never see a still screen while a text field had the focus.
 */
const caretThickness = 4;
const caretLength = 64;

/** Pixel i of a BGRA buffer as one number: a word view where the buffer is aligned for one. */
function pixelView(data: Buffer): (index: number) => number {
  if (data.byteOffset % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2);
    return (index) => words[index] as number;
  }
  return (index) => data.readUInt32LE(index * 4);
}

export function compareFrames(previous: RawFrame, current: RawFrame): FrameChange {
  if (previous.width !== current.width || previous.height !== current.height) return 'changed';
  const before = previous.data;
  const after = current.data;
  if (before.equals(after)) return 'none';
  const rowBytes = current.width * 4;
  const rowDiffers = (row: number) =>
    before.compare(after, row * rowBytes, (row + 1) * rowBytes, row * rowBytes, (row + 1) * rowBytes) !== 0;
  let top = 0;
  while (top < current.height && !rowDiffers(top)) top += 1;
  let bottom = current.height - 1;
  while (bottom > top && !rowDiffers(bottom)) bottom -= 1;
  const rows = bottom - top + 1;
  if (rows > caretLength) return 'changed';
  const pixelsBefore = pixelView(before);
  const pixelsAfter = pixelView(after);
  let left = current.width;
  let right = -1;
  for (let row = top; row <= bottom; row += 1) {
    const start = row * current.width;
    let column = 0;
    while (column < left && pixelsBefore(start + column) === pixelsAfter(start + column)) column += 1;
    if (column < left) left = column;
    column = current.width - 1;
    while (column > right && pixelsBefore(start + column) === pixelsAfter(start + column)) column -= 1;
    if (column > right) right = column;
    if (right - left + 1 > caretLength) return 'changed';
  }
  const columns = right - left + 1;
  return Math.min(rows, columns) <= caretThickness && Math.max(rows, columns) <= caretLength
    ? 'caret'
    : 'changed';
}

export interface SettleOptions {
  /** How long the screen must stay unchanged. */
  quietMs: number;
  /** When to give up waiting and keep the last frame. */
  maxWaitMs: number;
}

export interface SettledFrame {
  frame: RawFrame;
  /** True when the screen stayed unchanged for quietMs; false when maxWaitMs came first. */
  settled: boolean;
  /** From the start of the wait to the grab of the frame kept. */
  waitedMs: number;
  /** Frames grabbed, the kept one included. */
  frames: number;
}

export interface SettleClock {
  now(): number;
  sleep(milliseconds: number, signal: AbortSignal): Promise<void>;
}

const realClock: SettleClock = { now: () => performance.now(), sleep };

/**
 * One frame per display refresh at 60 Hz is enough to see every change that stays on the screen long
 * enough to matter; grabbing faster would only take the CPU the application needs to finish drawing.
 */
export const sampleIntervalMs = 16;

/**
 * Grabs frames until the screen has not changed for the quiet period (or maxWaitMs passes) and returns
 * the last one, for the caller to encode: one frame is ever encoded. A frame counts as changed when it
 * differs from the one before it by more than a blinking caret.
 *
 * The quiet period is quietMs, stretched while the screen animates: to twice the longest pause seen
 * between two changes, at most twice quietMs. An animation does not present its frames evenly: Chromium
 * drawing in software on Xvfb shows a colour changed every 60 ms with pauses of up to ~95 ms between
 * frames, and 100 ms of quiet would now and then take such a pause for the end. A still screen, or one
 * that changed once, waits quietMs only.
 *
 * The quiet period is timed from the grab that first showed the current picture, so a settled result has
 * waitedMs >= quietMs; when it is about to end sooner than the next sample would come, the next grab is
 * made exactly then.
 */
export async function waitForStillScreen(
  grab: () => Promise<RawFrame>,
  options: SettleOptions,
  signal: AbortSignal,
  clock: SettleClock = realClock,
): Promise<SettledFrame> {
  const started = clock.now();
  let previous: RawFrame | undefined;
  let quietSince = 0;
  let lastChange: number | undefined;
  let longestPause = 0;
  let quietMs = options.quietMs;
  for (let frames = 1; ; frames += 1) {
    throwIfAborted(signal);
    const grabbedAt = clock.now() - started;
    const frame = await grab();
    if (previous === undefined) {
      quietSince = grabbedAt;
    } else if (compareFrames(previous, frame) === 'changed') {
      if (lastChange !== undefined) {
        longestPause = Math.max(longestPause, grabbedAt - lastChange);
        quietMs = Math.max(options.quietMs, Math.min(2 * longestPause, 2 * options.quietMs));
      }
      lastChange = grabbedAt;
      quietSince = grabbedAt;
    }
    previous = frame;
    const waitedMs = Math.round(grabbedAt);
    if (grabbedAt - quietSince >= quietMs) return { frame, settled: true, waitedMs, frames };
    if (grabbedAt >= options.maxWaitMs) return { frame, settled: false, waitedMs, frames };
    const elapsed = clock.now() - started;
    const nextGrab = Math.min(grabbedAt + sampleIntervalMs, quietSince + quietMs, options.maxWaitMs);
    await clock.sleep(Math.max(0, Math.ceil(nextGrab - elapsed)), signal);
  }
}
