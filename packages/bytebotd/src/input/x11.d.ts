/** The slice of the `x11` package (plain JavaScript, no types of its own) that bytebotd's backends use. */
declare module 'x11' {
  import type { EventEmitter } from 'node:events';

  /** Errors the server sends carry the X error code; socket errors do not. */
  export interface XError extends Error {
    error?: number;
  }

  /** Return true from a reply callback to mark an X error as handled, so the client does not emit it. */
  export type XCallback<T> = (error: XError | null | undefined, result: T) => boolean | undefined;

  export interface XScreen {
    root: number;
    pixel_width: number;
    pixel_height: number;
    root_depth: number;
  }

  export interface XDisplay {
    min_keycode: number;
    max_keycode: number;
    screen: XScreen[];
    /** Pixmap formats by depth: how many bits a pixel takes in an image, and how rows are padded. */
    format: Record<number, { bits_per_pixel: number; scanline_pad: number }>;
  }

  export interface XEvent {
    name?: string;
    /** MappingNotify: 0 modifiers, 1 keyboard, 2 pointer. */
    request?: number;
    firstKeyCode?: number;
    count?: number;
  }

  export interface XTest {
    KeyPress: number;
    KeyRelease: number;
    ButtonPress: number;
    ButtonRelease: number;
    FakeInput(type: number, detail: number, time: number, window: number, x: number, y: number): void;
  }

  /** MIT-SHM: the server reads and writes images in memory shared with the client. */
  export interface XShm {
    major: number;
    minor: number;
    /** Hands the server a descriptor of a shared file (SHM 1.2); the package sends a duplicate of it. */
    AttachFd(shmseg: number, fd: number, readOnly: boolean, callback: XCallback<unknown>): void;
    Detach(shmseg: number): void;
    /** Writes the image into the segment at offset; the reply says how many bytes. */
    GetImage(
      drawable: number,
      x: number,
      y: number,
      width: number,
      height: number,
      planeMask: number,
      format: number,
      shmseg: number,
      offset: number,
      callback: XCallback<{ depth: number; visual: number; size: number }>,
    ): void;
  }

  export interface XPointer {
    rootX: number;
    rootY: number;
  }

  export interface XImage {
    depth: number;
    data: Buffer;
  }

  export interface XClient extends EventEmitter {
    require(extension: 'xtest', callback: (error: Error | null, extension: XTest) => void): void;
    require(extension: 'shm', callback: (error: Error | null, extension: XShm) => void): void;
    AllocID(): number;
    /** One row of keysymsPerKeycode keysyms per keycode, from firstKeycode on. */
    GetKeyboardMapping(firstKeycode: number, count: number, callback: XCallback<number[][]>): void;
    ChangeKeyboardMapping(firstKeycode: number, keysymsPerKeycode: number, keysyms: number[]): void;
    /** Eight rows (Shift, Lock, Control, Mod1..Mod5) of keycodes, 0 where unused. */
    GetModifierMapping(callback: XCallback<number[][]>): void;
    GetInputFocus(callback: XCallback<unknown>): void;
    QueryPointer(window: number, callback: XCallback<XPointer>): void;
    WarpPointer(
      sourceWindow: number,
      targetWindow: number,
      sourceX: number,
      sourceY: number,
      sourceWidth: number,
      sourceHeight: number,
      targetX: number,
      targetY: number,
    ): void;
    GetImage(
      format: number,
      drawable: number,
      x: number,
      y: number,
      width: number,
      height: number,
      planeMask: number,
      callback: XCallback<XImage>,
    ): void;
    /** Sends what is buffered and ends the connection. */
    terminate(): void;
  }

  export interface XClientOptions {
    display: string;
    /** A cookie to send instead of looking one up in $XAUTHORITY or ~/.Xauthority. */
    auth?: { name: string; data: string };
    /** Batch requests into few socket writes, flushed by any request with a reply or at the next tick. */
    bufferRequests?: boolean;
    /** false: a plain socket, no descriptor passing (and so no MIT-SHM segments of ours). */
    shm?: boolean;
  }

  const x11: {
    createClient(
      options: XClientOptions,
      callback: (error: Error | undefined, display: XDisplay) => void,
    ): XClient;
    parseDisplay(display: string): { host: string; displayNum: string; screenNum: string };
  };
  export default x11;
}
