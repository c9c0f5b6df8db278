/** The slice of the `x11` package (plain JavaScript, no types of its own) that the keyboard uses. */
declare module 'x11' {
  import type { EventEmitter } from 'node:events';

  /** Errors the server sends carry the X error code; socket errors do not. */
  export interface XError extends Error {
    error?: number;
  }

  /** Return true from a reply callback to mark an X error as handled, so the client does not emit it. */
  export type XCallback<T> = (error: XError | null | undefined, result: T) => boolean | undefined;

  export interface XDisplay {
    min_keycode: number;
    max_keycode: number;
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
    FakeInput(type: number, detail: number, time: number, window: number, x: number, y: number): void;
  }

  export interface XClient extends EventEmitter {
    require(extension: 'xtest', callback: (error: Error | null, extension: XTest) => void): void;
    /** One row of keysymsPerKeycode keysyms per keycode, from firstKeycode on. */
    GetKeyboardMapping(firstKeycode: number, count: number, callback: XCallback<number[][]>): void;
    ChangeKeyboardMapping(firstKeycode: number, keysymsPerKeycode: number, keysyms: number[]): void;
    /** Eight rows (Shift, Lock, Control, Mod1..Mod5) of keycodes, 0 where unused. */
    GetModifierMapping(callback: XCallback<number[][]>): void;
    GetInputFocus(callback: XCallback<unknown>): void;
    /** Sends what is buffered and ends the connection. */
    terminate(): void;
  }

  export interface XClientOptions {
    display: string;
    /** A cookie to send instead of looking one up in $XAUTHORITY or ~/.Xauthority. */
    auth?: { name: string; data: string };
    /** Batch requests into few socket writes, flushed by any request with a reply or at the next tick. */
    bufferRequests?: boolean;
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
