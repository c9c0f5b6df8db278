import { keysymForCharacter } from '@bytebot/protocol';
import type { XCallback, XEvent, XTest } from 'x11';
import { BytebotdError } from '../bytebotd-error.ts';
import { sleep, throwIfAborted } from '../computer/abortable.ts';
import {
  KeyboardMap,
  type KeyPlace,
  noSymbol,
  placeForKey,
  placeForText,
  type ShiftState,
  SpareKeycodes,
} from './keyboard-map.ts';
import { Reconnecting } from './reconnecting.ts';
import {
  openX11Connection,
  unavailable,
  type X11Connection,
  type X11ConnectionOptions,
} from './x11-connection.ts';

export interface RawKeyboard {
  /** Presses or releases the key giving an X keysym; resolves once the server has processed it. */
  toggle(keysym: number, down: boolean): Promise<void>;
  typeText(text: string, options: { delayMs: number; signal: AbortSignal }): Promise<void>;
  /** Releases every key this keyboard pressed and did not release yet. */
  releaseAll(): Promise<void>;
  close(): Promise<void>;
}

export type X11KeyboardOptions = Omit<X11ConnectionOptions, 'shm'>;

const shiftL = 0xffe1;
/** Control, Meta, Alt, Super and Hyper, left and right: held, they make the next key a shortcut. */
const chordModifierKeysyms = new Set([
  0xffe3, 0xffe4, 0xffe7, 0xffe8, 0xffe9, 0xffea, 0xffeb, 0xffec, 0xffed, 0xffee,
]);
const mappingModifier = 0;
const mappingKeyboard = 1;
/** Long texts pause for a round trip now and then, so an abort stops them and the server's queue stays short. */
const charactersPerRoundTrip = 64;
const closeWaitMs = 1000;
const notAborted = new AbortController().signal;

/** Keysyms for every character, checked before anything is typed; "\r\n" is one Return. */
function keysymsOfText(text: string): number[] {
  return [...text.replaceAll('\r\n', '\n')].map((character) => {
    const keysym = keysymForCharacter(character);
    if (keysym !== undefined) return keysym;
    const codePoint = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new BytebotdError('INVALID_REQUEST', `text: U+${codePoint} is not a character that can be typed`, [
      'text',
    ]);
  });
}

class X11Keyboard implements RawKeyboard {
  private map = new KeyboardMap(0, [], 0);
  private readonly spares = new SpareKeycodes([]);
  private shiftKeycodes = new Set<number>();
  private shiftKeycode: number | undefined;
  /** Keys pressed through toggle and not released, by keysym. */
  private readonly held = new Map<number, KeyPlace>();
  private stale = false;
  private xtest: XTest | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly connection: X11Connection) {
    connection.client.on('event', (event: XEvent) => {
      if (
        event.name !== 'MappingNotify' ||
        (event.request !== mappingKeyboard && event.request !== mappingModifier)
      ) {
        return;
      }
      // The notifications for this keyboard's own remapping of spare keycodes change nothing it does not know.
      const first = event.firstKeyCode ?? 0;
      const changed = Array.from({ length: event.count ?? 0 }, (_, index) => first + index);
      if (event.request === mappingKeyboard && changed.every((keycode) => this.spares.has(keycode))) return;
      this.stale = true;
    });
  }

  /** Whether its X connection is gone: a new keyboard on a new connection takes over then. */
  get lost(): boolean {
    return this.connection.lost;
  }

  toggle(keysym: number, down: boolean): Promise<void> {
    return this.exclusive(async () => {
      this.checkUsable();
      await this.refreshIfStale();
      if (down) await this.press(keysym);
      else this.release(keysym);
      await this.roundTrip();
    });
  }

  typeText(text: string, options: { delayMs: number; signal: AbortSignal }): Promise<void> {
    const { delayMs, signal } = options;
    return this.exclusive(async () => {
      const keysyms = keysymsOfText(text);
      throwIfAborted(signal);
      this.checkUsable();
      await this.refreshIfStale();
      const shift = this.shiftState();
      const distinct = new Set(keysyms);
      const missing = [...distinct].filter((keysym) => !placeForText(this.map, keysym, shift));
      await this.lend(missing, signal, distinct);
      // Each character's presses and releases are queued together, so stopping between characters
      // (abort, lost connection) leaves no key down.
      for (const [index, keysym] of keysyms.entries()) {
        if (delayMs > 0 && index > 0) await sleep(delayMs, signal);
        else if (index > 0 && index % charactersPerRoundTrip === 0) {
          await this.roundTrip();
          throwIfAborted(signal);
        }
        let place = placeForText(this.map, keysym, shift);
        if (!place) {
          // More distinct missing keysyms than spare keycodes: they take turns.
          await this.lend([keysym], signal, new Set([keysym]));
          place = placeForText(this.map, keysym, shift);
        }
        if (!place) throw this.noKeyFor(keysym);
        this.tap(place);
      }
      await this.roundTrip();
    });
  }

  releaseAll(): Promise<void> {
    return this.exclusive(async () => {
      this.releaseHeld();
      await this.roundTrip();
    });
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.connection.lost) return;
      try {
        this.releaseHeld();
        // Give the spare keycodes back empty, so they stay spare for the next program (or bytebotd);
        // those an application may still be reading for long stay as they are.
        const returnBy = performance.now() + closeWaitMs;
        const lent = this.spares
          .list()
          .filter((keycode) => !this.map.isEmpty(keycode) && this.spares.quietAt(keycode) <= returnBy);
        await this.waitUntilQuiet(lent, notAborted);
        for (const keycode of lent) this.map.fill(keycode, noSymbol);
        this.sendRows(lent);
        await this.roundTrip();
      } finally {
        this.connection.close('the keyboard connection is closed');
      }
    });
  }

  /** Loads XTEST, which every keystroke goes through, and the keyboard layout. */
  async start(): Promise<void> {
    this.xtest = await this.request<XTest | undefined>((callback) =>
      this.connection.client.require('xtest', (error, extension) =>
        callback(null, error ? undefined : extension),
      ),
    );
    if (!this.xtest) throw unavailable(this.connection.name, 'it has no XTEST extension, which typing needs');
    await this.loadLayout();
  }

  /** Fetches the keyboard and modifier maps; spare keycodes lent earlier stay spare while they hold what was put there. */
  async loadLayout(): Promise<void> {
    // Cleared first: a MappingNotify that arrives during the fetch makes the next call fetch again.
    this.stale = false;
    const { client, display } = this.connection;
    const { min_keycode: minKeycode, max_keycode: maxKeycode } = display;
    const [rows, modifiers] = await Promise.all([
      this.request<number[][]>((callback) =>
        client.GetKeyboardMapping(minKeycode, maxKeycode - minKeycode + 1, callback),
      ),
      this.request<number[][]>((callback) => client.GetModifierMapping(callback)),
    ]);
    const map = new KeyboardMap(minKeycode, rows, rows[0]?.length ?? 0);
    this.spares.replace(
      map
        .keycodes()
        .filter(
          (keycode) => map.isEmpty(keycode) || (this.spares.has(keycode) && map.isSingleKeysym(keycode)),
        ),
    );
    this.map = map;
    const shiftKeycodes = (modifiers[0] ?? []).filter((keycode) => keycode !== 0);
    this.shiftKeycodes = new Set(shiftKeycodes);
    this.shiftKeycode = shiftKeycodes.find((keycode) => map.row(keycode)[0] === shiftL) ?? shiftKeycodes[0];
  }

  private async refreshIfStale(): Promise<void> {
    if (this.stale) await this.loadLayout();
  }

  private async press(keysym: number): Promise<void> {
    const again = this.held.get(keysym);
    if (again) {
      // Pressed twice without a release, as auto-repeat does: the key goes down again, Shift stays as it is.
      this.fake(again.keycode, true);
      return;
    }
    const state = { shift: this.shiftState(), chordHeld: this.chordHeld() };
    let place = placeForKey(this.map, keysym, state);
    if (!place) {
      await this.lend([keysym], notAborted, new Set([keysym]));
      place = placeForKey(this.map, keysym, state);
    }
    if (!place) throw this.noKeyFor(keysym);
    if (place.shift) this.fake(this.shiftKeycode, true);
    this.fake(place.keycode, true);
    this.held.set(keysym, place);
  }

  private release(keysym: number): void {
    // A key pressed before this keyboard existed (or by press_keys in another session) is still released.
    const place = this.held.get(keysym) ?? this.unheldPlace(keysym);
    if (!place) return;
    this.held.delete(keysym);
    this.fake(place.keycode, false);
    if (place.shift) this.fake(this.shiftKeycode, false);
  }

  private unheldPlace(keysym: number): KeyPlace | undefined {
    const keycode = this.map.find(keysym, 0) ?? this.map.find(keysym, 1);
    return keycode === undefined ? undefined : { keycode, shift: false };
  }

  private releaseHeld(): void {
    const places = [...this.held.values()].reverse();
    this.held.clear();
    this.checkUsable();
    for (const place of places) {
      this.fake(place.keycode, false);
      if (place.shift) this.fake(this.shiftKeycode, false);
    }
  }

  private tap(place: KeyPlace): void {
    if (place.shift) this.fake(this.shiftKeycode, true);
    this.fake(place.keycode, true);
    this.fake(place.keycode, false);
    if (place.shift) this.fake(this.shiftKeycode, false);
  }

  /** Queued, not sent: the round trip that ends each call sends the batch and waits for the server. */
  private fake(keycode: number | undefined, down: boolean): void {
    if (keycode === undefined) return;
    this.checkUsable();
    const xtest = this.xtest;
    if (!xtest) throw unavailable(this.connection.name, 'XTEST is not loaded');
    xtest.FakeInput(down ? xtest.KeyPress : xtest.KeyRelease, keycode, 0, 0, 0, 0);
    this.spares.sent(keycode, performance.now());
  }

  /**
   * Puts keysyms the layout lacks onto spare keycodes (as many as are free), in as few requests as it
   * can, leaving alone spare keycodes that already give a keysym in `keep`.
   */
  private async lend(
    keysyms: readonly number[],
    signal: AbortSignal,
    keep: ReadonlySet<number>,
  ): Promise<void> {
    if (keysyms.length === 0) return;
    const loans = this.spares.choose(keysyms, this.map, keep, this.heldKeycodes());
    if (loans.length === 0) return;
    const keycodes = loans.map((loan) => loan.keycode);
    await this.waitUntilQuiet(keycodes, signal);
    this.checkUsable();
    for (const { keycode, keysym } of loans) this.map.fill(keycode, keysym);
    this.sendRows(keycodes);
  }

  private noKeyFor(keysym: number): BytebotdError {
    const spares = this.spares.size;
    return new BytebotdError(
      'INTERNAL',
      `keysym 0x${keysym.toString(16)} is on no key, and none of the ${spares} spare keycodes is free to take it`,
    );
  }

  private sendRows(keycodes: readonly number[]): void {
    for (const request of this.map.changeRequests(keycodes)) {
      this.connection.client.ChangeKeyboardMapping(
        request.firstKeycode,
        this.map.keysymsPerKeycode,
        request.keysyms,
      );
    }
  }

  private async waitUntilQuiet(keycodes: readonly number[], signal: AbortSignal): Promise<void> {
    const wait = Math.max(...keycodes.map((keycode) => this.spares.quietAt(keycode))) - performance.now();
    if (wait > 0) await sleep(wait, signal);
  }

  private heldKeycodes(): Set<number> {
    return new Set([...this.held.values()].map((place) => place.keycode));
  }

  private shiftState(): ShiftState {
    const held = [...this.held.values()].some(
      (place) => place.shift || this.shiftKeycodes.has(place.keycode),
    );
    return { held, available: this.shiftKeycode !== undefined };
  }

  private chordHeld(): boolean {
    return [...this.held.keys()].some((keysym) => chordModifierKeysyms.has(keysym));
  }

  private roundTrip(): Promise<void> {
    return this.connection.roundTrip();
  }

  private request<T>(send: (callback: XCallback<T>) => void): Promise<T> {
    return this.connection.request(send);
  }

  private checkUsable(): void {
    this.connection.check();
  }

  /** One call at a time: a call's keys must not interleave with another's (type_text while a chord is held). */
  private exclusive(body: () => Promise<void>): Promise<void> {
    const run = this.tail.then(body);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

async function openX11Keyboard(options: X11KeyboardOptions): Promise<X11Keyboard> {
  const connection = await openX11Connection(options);
  const keyboard = new X11Keyboard(connection);
  try {
    await keyboard.start();
    return keyboard;
  } catch (error) {
    connection.close();
    throw error;
  }
}

/**
 * Connects to the X server and checks it has XTEST. When the server goes away (Xvfb restarted), calls
 * answer DESKTOP_UNAVAILABLE until it is back, and the next one connects a new keyboard to it; what the
 * old one held down went with the old server.
 */
export async function connectX11Keyboard(options: X11KeyboardOptions): Promise<RawKeyboard> {
  const keyboards = await new Reconnecting(() => openX11Keyboard(options)).start();
  return {
    toggle: async (keysym, down) => (await keyboards.get()).toggle(keysym, down),
    typeText: async (text, typing) => (await keyboards.get()).typeText(text, typing),
    releaseAll: async () => {
      await keyboards.live()?.releaseAll();
    },
    close: () => keyboards.close(),
  };
}
