import type { XTest } from 'x11';
import type { MouseButton, Point, RawMouse, ScrollDirection } from '../computer/raw-input.ts';
import { Reconnecting } from './reconnecting.ts';
import {
  openX11Connection,
  unavailable,
  type X11Connection,
  type X11ConnectionOptions,
} from './x11-connection.ts';

const buttonNumbers: Record<MouseButton, number> = { left: 1, middle: 2, right: 3 };
/** X's wheel buttons: 4 and 5 scroll up and down, 6 and 7 left and right. */
const scrollButtons: Record<ScrollDirection, number> = { up: 4, down: 5, left: 6, right: 7 };
const none = 0;

/**
 * The mouse as libnut drove it (WarpPointer to move, XTEST button events to press), on a connection of
 * its own: each call ends with a round trip, so the server has acted on it when the call resolves.
 */
class X11Mouse implements RawMouse {
  constructor(
    private readonly connection: X11Connection,
    private readonly xtest: XTest,
  ) {}

  get lost(): boolean {
    return this.connection.lost;
  }

  private get root(): number {
    return this.connection.display.screen[0]?.root ?? none;
  }

  async move(point: Point): Promise<void> {
    this.connection.check();
    this.connection.client.WarpPointer(none, this.root, 0, 0, 0, 0, point.x, point.y);
    await this.connection.roundTrip();
  }

  async position(): Promise<Point> {
    const pointer = await this.connection.request<{ rootX: number; rootY: number }>((callback) =>
      this.connection.client.QueryPointer(this.root, callback),
    );
    return { x: pointer.rootX, y: pointer.rootY };
  }

  async toggle(button: MouseButton, down: boolean): Promise<void> {
    this.connection.check();
    const { xtest } = this;
    xtest.FakeInput(down ? xtest.ButtonPress : xtest.ButtonRelease, buttonNumbers[button], 0, none, 0, 0);
    await this.connection.roundTrip();
  }

  async scroll(direction: ScrollDirection, steps: number): Promise<void> {
    this.connection.check();
    const { xtest } = this;
    for (let step = 0; step < steps; step += 1) {
      xtest.FakeInput(xtest.ButtonPress, scrollButtons[direction], 0, none, 0, 0);
      xtest.FakeInput(xtest.ButtonRelease, scrollButtons[direction], 0, none, 0, 0);
    }
    await this.connection.roundTrip();
  }

  async close(): Promise<void> {
    this.connection.close('the mouse connection is closed');
  }
}

async function openX11Mouse(options: X11ConnectionOptions): Promise<X11Mouse> {
  const connection = await openX11Connection({ ...options, shm: false });
  try {
    const xtest = await connection.request<XTest | undefined>((callback) =>
      connection.client.require('xtest', (error, extension) => callback(null, error ? undefined : extension)),
    );
    if (!xtest) throw unavailable(options.display, 'it has no XTEST extension, which clicking needs');
    return new X11Mouse(connection, xtest);
  } catch (error) {
    connection.close();
    throw error;
  }
}

/** The mouse, connected again after its X server went away and came back (see Reconnecting). */
export async function connectX11Mouse(
  options: X11ConnectionOptions,
): Promise<RawMouse & { close(): Promise<void> }> {
  const mice = await new Reconnecting(() => openX11Mouse(options)).start();
  return {
    move: async (point) => (await mice.get()).move(point),
    position: async () => (await mice.get()).position(),
    toggle: async (button, down) => (await mice.get()).toggle(button, down),
    scroll: async (direction, steps) => (await mice.get()).scroll(direction, steps),
    close: () => mice.close(),
  };
}
