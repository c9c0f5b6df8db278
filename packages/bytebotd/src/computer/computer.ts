import {
  type ActionName,
  type ActionOf,
  type ActionResultOf,
  type ComputerAction,
  keysymForCharacter,
  resolveKey,
  type ScreenshotAfter,
  type SettledScreenshotResult,
} from '@bytebot/protocol';
import { BytebotdError } from '../bytebotd-error.ts';
import type { RawKeyboard } from '../input/x11-keyboard.ts';
import { sleep, throwIfAborted } from './abortable.ts';
import type { Applications } from './applications.ts';
import { ClipboardOffer } from './clipboard.ts';
import type { DesktopSession } from './desktop-session.ts';
import type { HomeFiles } from './home-files.ts';
import { interpolatePath } from './mouse-path.ts';
import type { EncodedImage, Point, RawMouse, RawScreen, ScreenSize } from './raw-input.ts';
import { waitForStillScreen } from './screen-settle.ts';

export interface ComputerBackends {
  mouse: RawMouse;
  keyboard: RawKeyboard;
  screen: RawScreen;
  files: HomeFiles;
  applications: Applications;
  session: DesktopSession;
}

type Handlers = {
  [Name in ActionName]: (action: ActionOf<Name>, signal: AbortSignal) => Promise<ActionResultOf<Name>>;
};

/** Actions that only look; they may run while an input action is in progress. */
const observing = new Set<ActionName>(['screenshot', 'zoom', 'cursor_position', 'read_file', 'wait']);

/**
 * Pause between the clicks of a double or triple click. Sent back to back, the presses share one X
 * timestamp, and Chromium takes a press with its predecessor's timestamp for a repeat of it (same click
 * count); well under every toolkit's double-click time.
 */
const multiClickGapMs = 30;

/**
 * Pause between pressing an action's holdKeys and the mouse action itself. The X server applies the
 * modifier at once, but Chromium under load can handle the button before the key it saw first and
 * report the click without it (seen 2 in 60 shift-clicks on a busy 2-core machine); people too leave
 * tens of milliseconds between the two.
 */
const holdKeysLeadMs = 40;

/** Time allowed, beyond the wait for a still screen, to encode the screenshot after an action. */
const encodeAllowanceMs = 5_000;

function screenshotAfterOf(action: ComputerAction): ScreenshotAfter | undefined {
  return 'screenshotAfter' in action ? action.screenshotAfter : undefined;
}

interface ImageResult {
  image: string;
  mediaType: EncodedImage['mediaType'];
  width: number;
  height: number;
}

/** One base64 text per encoded image: callers sharing a screenshot share its 0.5 MB of text too. */
const imageResults = new WeakMap<EncodedImage, ImageResult>();

function imageResult(image: EncodedImage): ImageResult {
  let result = imageResults.get(image);
  if (!result) {
    result = {
      image: image.data.toString('base64'),
      mediaType: image.mediaType,
      width: image.width,
      height: image.height,
    };
    imageResults.set(image, result);
  }
  return result;
}

const done = { success: true } as const;

/**
 * The one stateful class over the raw backends: it checks what the protocol schema cannot know
 * (the screen's size), runs input actions one at a time so two callers cannot interleave keystrokes,
 * and releases anything it pressed when an action fails halfway.
 */
export class Computer {
  private inputQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly backends: ComputerBackends,
    private screenSize: ScreenSize,
  ) {}

  static async create(backends: ComputerBackends): Promise<Computer> {
    return new Computer(backends, await backends.screen.size());
  }

  get screen(): ScreenSize {
    return this.screenSize;
  }

  async refreshScreenSize(): Promise<ScreenSize> {
    this.screenSize = await this.backends.screen.size();
    return this.screenSize;
  }

  /**
   * How long an action may take before it is abandoned with TIMEOUT: its own time, and with
   * screenshotAfter the longest wait for a still screen and the encoding of the screenshot.
   */
  static deadlineFor(action: ComputerAction): number {
    const after = screenshotAfterOf(action);
    return Computer.ownDeadline(action) + (after ? after.maxWaitMs + encodeAllowanceMs : 0);
  }

  private static ownDeadline(action: ComputerAction): number {
    switch (action.action) {
      case 'wait':
        return action.duration + 5_000;
      case 'type_text':
        return 10_000 + action.text.length * ((action.delay ?? 0) + 20);
      case 'type_keys':
        return 10_000 + action.keys.length * (action.delay ?? 0);
      case 'application':
        return 30_000;
      default:
        return 10_000;
    }
  }

  execute<Name extends ActionName>(
    action: ActionOf<Name>,
    signal: AbortSignal,
  ): Promise<ActionResultOf<Name>> {
    this.assertOnScreen(action);
    const handler = this.handlers[action.action] as (
      action: ActionOf<Name>,
      signal: AbortSignal,
    ) => Promise<ActionResultOf<Name>>;
    const after = screenshotAfterOf(action);
    const run = async (): Promise<ActionResultOf<Name>> => {
      const result = await handler(action, signal);
      if (!after) return result;
      return { ...result, screenshot: await this.settledScreenshot(after, signal) };
    };
    if (observing.has(action.action)) return run();
    // An input action holds the queue through its wait for a still screen too: the screenshot then shows
    // what this action did, not what another caller's next one started.
    const queued = this.inputQueue.then(() => {
      throwIfAborted(signal);
      return run();
    });
    this.inputQueue = queued.catch(() => undefined);
    return queued;
  }

  /** Waits for the screen to stop changing, then encodes the last frame seen (the only one encoded). */
  private async settledScreenshot(
    after: ScreenshotAfter,
    signal: AbortSignal,
  ): Promise<SettledScreenshotResult> {
    const { screen } = this.backends;
    const still = await waitForStillScreen(() => screen.grab(), after, signal);
    throwIfAborted(signal);
    const image = await screen.encode(still.frame, after);
    return { ...imageResult(image), settled: still.settled, waitedMs: still.waitedMs };
  }

  private assertOnScreen(action: ComputerAction): void {
    const check = (point: Point, path: Array<string | number>) => {
      if (point.x >= this.screenSize.width) {
        throw new BytebotdError(
          'OUT_OF_BOUNDS',
          `${path.join('.')}.x: ${point.x} is off the screen, expected 0 to ${this.screenSize.width - 1}`,
          [...path, 'x'],
        );
      }
      if (point.y >= this.screenSize.height) {
        throw new BytebotdError(
          'OUT_OF_BOUNDS',
          `${path.join('.')}.y: ${point.y} is off the screen, expected 0 to ${this.screenSize.height - 1}`,
          [...path, 'y'],
        );
      }
    };
    if ('coordinates' in action && action.coordinates) check(action.coordinates, ['coordinates']);
    if ('path' in action && Array.isArray(action.path)) {
      action.path.forEach((point, index) => {
        check(point, ['path', index]);
      });
    }
    if (action.action === 'screenshot') this.assertImageSize(action, []);
    const after = screenshotAfterOf(action);
    if (after) this.assertImageSize(after, ['screenshotAfter']);
    if (action.action === 'zoom') this.assertZoom(action);
  }

  /** A scaled screenshot may be at most four times the screen (a zoom is, at most, by its schema). */
  private assertImageSize(
    options: { width?: number | undefined; height?: number | undefined },
    path: string[],
  ): void {
    const limit = 4;
    const field = (name: string) => [...path, name].join('.');
    if ((options.width ?? 0) > this.screenSize.width * limit) {
      throw new BytebotdError(
        'OUT_OF_BOUNDS',
        `${field('width')}: ${options.width} is more than ${limit} times the screen width (${this.screenSize.width})`,
        [...path, 'width'],
      );
    }
    if ((options.height ?? 0) > this.screenSize.height * limit) {
      throw new BytebotdError(
        'OUT_OF_BOUNDS',
        `${field('height')}: ${options.height} is more than ${limit} times the screen height (${this.screenSize.height})`,
        [...path, 'height'],
      );
    }
  }

  private assertZoom(action: ActionOf<'zoom'>): void {
    const { region } = action;
    const screen = this.screenSize;
    for (const [edge, side, size] of [
      ['x', 'width', screen.width],
      ['y', 'height', screen.height],
    ] as const) {
      if (region[edge] >= size) {
        throw new BytebotdError(
          'OUT_OF_BOUNDS',
          `region.${edge}: ${region[edge]} is off the screen, expected 0 to ${size - 1}`,
          ['region', edge],
        );
      }
      if (region[edge] + region[side] > size) {
        throw new BytebotdError(
          'OUT_OF_BOUNDS',
          `region.${side}: ${region[side]} from ${edge} ${region[edge]} passes the edge of the screen, expected at most ${size - region[edge]}`,
          ['region', side],
        );
      }
    }
  }

  /** Presses keys for the duration of body, releasing them even when body fails. */
  private async holding<T>(
    keys: string[] | undefined,
    signal: AbortSignal,
    body: () => Promise<T>,
  ): Promise<T> {
    const keysyms = keysymsOf(keys ?? []);
    const pressed: number[] = [];
    try {
      for (const keysym of keysyms) {
        throwIfAborted(signal);
        await this.backends.keyboard.toggle(keysym, true);
        pressed.push(keysym);
      }
      if (pressed.length > 0) await sleep(holdKeysLeadMs, signal);
      return await body();
    } finally {
      for (const keysym of pressed.reverse()) await this.backends.keyboard.toggle(keysym, false);
    }
  }

  private async moveAlong(path: Point[], signal: AbortSignal): Promise<void> {
    for (const point of interpolatePath(path)) {
      throwIfAborted(signal);
      await this.backends.mouse.move(point);
    }
  }

  private readonly handlers: Handlers = {
    move_mouse: async (action) => {
      await this.backends.mouse.move(action.coordinates);
      return done;
    },
    trace_mouse: async (action, signal) => {
      await this.holding(action.holdKeys, signal, () => this.moveAlong(action.path, signal));
      return done;
    },
    click_mouse: async (action, signal) => {
      const { mouse } = this.backends;
      if (action.coordinates) await mouse.move(action.coordinates);
      await this.holding(action.holdKeys, signal, async () => {
        for (let click = 0; click < action.clickCount; click += 1) {
          throwIfAborted(signal);
          if (click > 0) await sleep(multiClickGapMs, signal);
          await mouse.toggle(action.button, true);
          await mouse.toggle(action.button, false);
        }
      });
      return done;
    },
    press_mouse: async (action) => {
      if (action.coordinates) await this.backends.mouse.move(action.coordinates);
      await this.backends.mouse.toggle(action.button, action.press === 'down');
      return done;
    },
    drag_mouse: async (action, signal) => {
      const { mouse } = this.backends;
      const [start, ...rest] = action.path as [Point, ...Point[]];
      await this.holding(action.holdKeys, signal, async () => {
        await mouse.move(start);
        await mouse.toggle(action.button, true);
        try {
          await this.moveAlong([start, ...rest], signal);
        } finally {
          await mouse.toggle(action.button, false);
        }
      });
      return done;
    },
    scroll: async (action, signal) => {
      if (action.coordinates) await this.backends.mouse.move(action.coordinates);
      await this.holding(action.holdKeys, signal, () =>
        this.backends.mouse.scroll(action.direction, action.scrollCount),
      );
      return done;
    },
    type_keys: async (action, signal) => {
      const keysyms = keysymsOf(action.keys);
      const pressed: number[] = [];
      try {
        for (const keysym of keysyms) {
          if (pressed.length > 0 && action.delay) await sleep(action.delay, signal);
          await this.backends.keyboard.toggle(keysym, true);
          pressed.push(keysym);
        }
      } finally {
        for (const keysym of pressed.reverse()) await this.backends.keyboard.toggle(keysym, false);
      }
      return done;
    },
    press_keys: async (action) => {
      const keysyms = keysymsOf(action.keys);
      const down = action.press === 'down';
      for (const keysym of down ? keysyms : keysyms.reverse())
        await this.backends.keyboard.toggle(keysym, down);
      return done;
    },
    type_text: async (action, signal) => {
      await this.backends.keyboard.typeText(action.text, { delayMs: action.delay ?? 0, signal });
      return done;
    },
    paste_text: async (action, signal) => {
      const offer = await ClipboardOffer.start(this.backends.session, action.text, signal);
      throwIfAborted(signal);
      await this.handlers.type_keys({ action: 'type_keys', keys: ['Control_L', 'v'] }, signal);
      // Applications fetch pasted text asynchronously: return once it was fetched, so a key sent next
      // (Control+S) cannot overtake it.
      await offer.delivered(signal);
      return done;
    },
    wait: async (action, signal) => {
      await sleep(action.duration, signal);
      return done;
    },
    screenshot: async (action) => {
      const { screen } = this.backends;
      return imageResult(await screen.encode(await screen.grab(), action));
    },
    zoom: async (action) => {
      const { screen } = this.backends;
      const frame = await screen.grab(action.region);
      // Nearest neighbour: each screen pixel becomes scale x scale pixels of exactly its colour, so text
      // stays sharp-edged and nothing is blended that the screen did not show.
      const size = action.scale === 1 ? {} : { ...zoomedSize(action), kernel: 'nearest' as const };
      return imageResult(
        await screen.encode(frame, { format: action.format, quality: action.quality, ...size }),
      );
    },
    cursor_position: async () => this.backends.mouse.position(),
    application: async (action, signal) => {
      await this.backends.applications.open(action.application, signal);
      return done;
    },
    write_file: async (action) => {
      const written = await this.backends.files.write(action.path, Buffer.from(action.data, 'base64'));
      return {
        success: true,
        path: written.path,
        size: written.size,
        message: `wrote ${written.size} bytes to ${written.path}`,
      };
    },
    read_file: async (action) => {
      const file = await this.backends.files.read(action.path);
      return {
        success: true,
        path: file.path,
        name: file.name,
        size: file.data.length,
        mediaType: file.mediaType,
        data: file.data.toString('base64'),
      };
    },
  };
}

function zoomedSize(action: ActionOf<'zoom'>): { width: number; height: number } {
  return {
    width: Math.max(1, Math.round(action.region.width * action.scale)),
    height: Math.max(1, Math.round(action.region.height * action.scale)),
  };
}

function keysymsOf(keys: string[]): number[] {
  return keys.map((key) => {
    const resolved = resolveKey(key) ?? undefined;
    const keysym = resolved?.keysym ?? keysymForCharacter(key);
    // The schema already refused unknown keys; reaching here means the two tables disagree.
    if (keysym === undefined) throw new Error(`key "${key}" passed validation but has no keysym`);
    return keysym;
  });
}
