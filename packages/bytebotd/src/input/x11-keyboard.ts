import { hostname } from 'node:os';
import { keysymForCharacter } from '@bytebot/protocol';
import x11, { type XCallback, type XClient, type XDisplay, type XError, type XEvent, type XTest } from 'x11';
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
import { cookieFor, readXauthority } from './xauthority.ts';

export interface RawKeyboard {
  /** Presses or releases the key giving an X keysym; resolves once the server has processed it. */
  toggle(keysym: number, down: boolean): Promise<void>;
  typeText(text: string, options: { delayMs: number; signal: AbortSignal }): Promise<void>;
  /** Releases every key this keyboard pressed and did not release yet. */
  releaseAll(): Promise<void>;
  close(): Promise<void>;
}

export interface X11KeyboardOptions {
  display: string;
  /** Xauthority file to take the cookie from; undefined lets the x11 package use $XAUTHORITY or ~/.Xauthority. */
  xauthority: string | undefined;
}

const shiftL = 0xffe1;
/** Control, Meta, Alt, Super and Hyper, left and right: held, they make the next key a shortcut. */
const chordModifierKeysyms = new Set([
  0xffe3, 0xffe4, 0xffe7, 0xffe8, 0xffe9, 0xffea, 0xffeb, 0xffec, 0xffed, 0xffee,
]);
const mappingModifier = 0;
const mappingKeyboard = 1;
const answerTimeoutMs = 10_000;
/** Long texts pause for a round trip now and then, so an abort stops them and the server's queue stays short. */
const charactersPerRoundTrip = 64;
const closeWaitMs = 1000;
const notAborted = new AbortController().signal;

function unavailable(display: string, problem: string): BytebotdError {
  return new BytebotdError('DESKTOP_UNAVAILABLE', `X server ${display}: ${problem}`);
}

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
  /** Set once the connection is gone or closed; every later call throws it. */
  private failure: BytebotdError | undefined;
  private xtest: XTest | undefined;
  private protocolError: XError | undefined;
  private readonly waiting = new Set<(error: Error) => void>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: XClient,
    private readonly display: XDisplay,
    private readonly displayName: string,
  ) {
    client.on('error', (error: XError) => {
      // Errors for requests sent without a callback (FakeInput, ChangeKeyboardMapping) surface at the next round trip.
      if (typeof error.error === 'number') this.protocolError ??= error;
      else this.lose(`the connection failed (${error.message})`);
    });
    client.on('end', () => this.lose('the connection was closed by the server'));
    client.on('event', (event: XEvent) => {
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
      if (this.failure) return;
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
        if (!this.failure) endConnection(this.client);
        this.failure ??= unavailable(this.displayName, 'the keyboard connection is closed');
      }
    });
  }

  /** Loads XTEST, which every keystroke goes through, and the keyboard layout. */
  async start(): Promise<void> {
    this.xtest = await this.request<XTest | undefined>((callback) =>
      this.client.require('xtest', (error, extension) => callback(null, error ? undefined : extension)),
    );
    if (!this.xtest) throw unavailable(this.displayName, 'it has no XTEST extension, which typing needs');
    await this.loadLayout();
  }

  /** Fetches the keyboard and modifier maps; spare keycodes lent earlier stay spare while they hold what was put there. */
  async loadLayout(): Promise<void> {
    // Cleared first: a MappingNotify that arrives during the fetch makes the next call fetch again.
    this.stale = false;
    const { min_keycode: minKeycode, max_keycode: maxKeycode } = this.display;
    const [rows, modifiers] = await Promise.all([
      this.request<number[][]>((callback) =>
        this.client.GetKeyboardMapping(minKeycode, maxKeycode - minKeycode + 1, callback),
      ),
      this.request<number[][]>((callback) => this.client.GetModifierMapping(callback)),
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
    if (!xtest) throw unavailable(this.displayName, 'XTEST is not loaded');
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
      this.client.ChangeKeyboardMapping(request.firstKeycode, this.map.keysymsPerKeycode, request.keysyms);
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

  private async roundTrip(): Promise<void> {
    await this.request((callback) => this.client.GetInputFocus(callback));
    const error = this.protocolError;
    this.protocolError = undefined;
    if (error) {
      throw new BytebotdError(
        'INTERNAL',
        `X server ${this.displayName} rejected a request: ${error.message}`,
      );
    }
  }

  /** One request with a reply; rejects when the connection goes or the server stops answering. */
  private request<T>(send: (callback: XCallback<T>) => void): Promise<T> {
    this.checkUsable();
    return new Promise<T>((resolvePromise, rejectPromise) => {
      const settle = (error: Error | undefined, result?: T) => {
        clearTimeout(timer);
        this.waiting.delete(settle);
        if (error) rejectPromise(error);
        else resolvePromise(result as T);
      };
      const timer = setTimeout(
        () => settle(unavailable(this.displayName, `no answer within ${answerTimeoutMs / 1000} s`)),
        answerTimeoutMs,
      );
      this.waiting.add(settle);
      try {
        send((error, result) => {
          settle(
            error ? unavailable(this.displayName, `a request failed (${error.message})`) : undefined,
            result,
          );
          return true;
        });
      } catch (error) {
        settle(unavailable(this.displayName, `a request failed (${(error as Error).message})`));
      }
    });
  }

  private checkUsable(): void {
    if (this.failure) throw this.failure;
  }

  private lose(problem: string): void {
    if (this.failure) return;
    this.failure = unavailable(this.displayName, problem);
    for (const settle of [...this.waiting]) settle(this.failure);
  }

  /** One call at a time: a call's keys must not interleave with another's (type_text while a chord is held). */
  private exclusive(body: () => Promise<void>): Promise<void> {
    const run = this.tail.then(body);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function endConnection(client: XClient): void {
  try {
    client.terminate();
  } catch {
    // Failed before its setup: the x11 package has no output stream to flush, and nothing is open.
  }
}

async function openClient(
  display: string,
  auth: { name: string; data: string } | undefined,
): Promise<{ client: XClient; display: XDisplay }> {
  return new Promise((resolvePromise, rejectPromise) => {
    let client: XClient | undefined;
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (client) endConnection(client);
      rejectPromise(unavailable(display, `cannot connect (${error.message.trim()})`));
    };
    const timer = setTimeout(
      () => fail(new Error(`no answer within ${answerTimeoutMs / 1000} s`)),
      answerTimeoutMs,
    );
    try {
      client = x11.createClient(
        { display, bufferRequests: true, ...(auth ? { auth } : {}) },
        (error, info) => {
          clearTimeout(timer);
          client?.off('error', fail);
          if (error || !client) fail(error ?? new Error('no client'));
          else resolvePromise({ client, display: info });
        },
      );
      // The server refusing the connection is reported as an event, not through the callback.
      client.on('error', fail);
    } catch (error) {
      fail(error as Error);
    }
  });
}

async function cookieFromFile(display: string, path: string): Promise<{ name: string; data: string }> {
  try {
    const { host, displayNum } = x11.parseDisplay(display);
    const cookie = cookieFor(await readXauthority(path), {
      host,
      displayNumber: displayNum,
      hostname: hostname(),
    });
    // No matching entry: try without one, as libX11 does; a server with access control then says no.
    return cookie ?? { name: '', data: '' };
  } catch (error) {
    throw unavailable(display, `cannot use Xauthority ${path} (${(error as Error).message})`);
  }
}

/** Connects to the X server and checks it has XTEST. */
export async function connectX11Keyboard(options: X11KeyboardOptions): Promise<RawKeyboard> {
  const auth =
    options.xauthority === undefined ? undefined : await cookieFromFile(options.display, options.xauthority);
  const { client, display } = await openClient(options.display, auth);
  const keyboard = new X11Keyboard(client, display, options.display);
  try {
    await keyboard.start();
    return keyboard;
  } catch (error) {
    endConnection(client);
    throw error;
  }
}
