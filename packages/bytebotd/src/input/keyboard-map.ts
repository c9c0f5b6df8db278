/**
 * Planning for the X keyboard, free of I/O: which keycode gives a keysym, whether Shift goes with it,
 * and which spare keycode takes a keysym the layout lacks.
 */

export const noSymbol = 0;

/**
 * Applications translate a keycode when they read its event, fetching the map lazily after
 * MappingNotify: a keycode remapped before the application has read every earlier event for it
 * would be read with its new keysym. So a spare keycode keeps its keysym until this long after the
 * application is expected to have read its last event.
 */
export const remapQuietMs = 50;

/**
 * Keys reach the server far faster than applications handle them (mousepad on Xvfb: about 0.25 ms
 * per event), so an application may still be reading a burst long after it was sent. Counting this
 * much per event, with margin for slower applications, says when it will have read a given one.
 */
export const applicationMsPerEvent = 1;

export interface KeyPlace {
  keycode: number;
  /** Whether Shift must be added for this keysym. */
  shift: boolean;
}

function codePointOf(keysym: number): number | undefined {
  if (keysym >= 0x20 && keysym <= 0xff) return keysym;
  if (keysym >= 0x01000100 && keysym <= 0x0110ffff) return keysym - 0x01000000;
  return undefined;
}

/** Letters have two cases, and X's core rule turns a lone lower-case keysym into upper case under Shift. */
export function hasCase(keysym: number): boolean {
  const codePoint = codePointOf(keysym);
  if (codePoint === undefined) return false;
  const character = String.fromCodePoint(codePoint);
  return character.toLowerCase() !== character.toUpperCase();
}

/** The keysym a row gives with Shift down, by the core protocol's rule for an empty second column. */
function shiftedKeysym(row: readonly number[]): number | undefined {
  const [plain = noSymbol, shifted = noSymbol] = row;
  if (shifted !== noSymbol) return shifted;
  return hasCase(plain) ? undefined : plain;
}

/** The server's keycode → keysyms table (columns: plain, shifted, then other groups and levels). */
export class KeyboardMap {
  private readonly rows: number[][];

  constructor(
    readonly minKeycode: number,
    rows: readonly (readonly number[])[],
    readonly keysymsPerKeycode: number,
  ) {
    this.rows = rows.map((row) => [...row]);
  }

  keycodes(): number[] {
    return this.rows.map((_, index) => this.minKeycode + index);
  }

  row(keycode: number): readonly number[] {
    return this.rows[keycode - this.minKeycode] ?? [];
  }

  isEmpty(keycode: number): boolean {
    return this.row(keycode).every((keysym) => keysym === noSymbol);
  }

  /**
   * True for a row like the ones put on spare keycodes: one keysym, plain and shifted. The server
   * (with XKB) reads it back with some columns empty, so empty columns are allowed.
   */
  isSingleKeysym(keycode: number): boolean {
    const row = this.row(keycode);
    const [plain = noSymbol, shifted = noSymbol] = row;
    return (
      plain !== noSymbol &&
      shifted === plain &&
      row.every((keysym) => keysym === plain || keysym === noSymbol)
    );
  }

  /** Lowest keycode with the keysym in the given column (0 plain, 1 shifted). */
  find(keysym: number, column: 0 | 1): number | undefined {
    const index = this.rows.findIndex((row) => row[column] === keysym);
    return index < 0 ? undefined : this.minKeycode + index;
  }

  /** Lowest keycode that gives the keysym while Shift is down. */
  findUnderShift(keysym: number): number | undefined {
    const index = this.rows.findIndex((row) => shiftedKeysym(row) === keysym);
    return index < 0 ? undefined : this.minKeycode + index;
  }

  /** Every column holds the keysym, so neither Shift nor X's case rule changes what the key gives. */
  fill(keycode: number, keysym: number): void {
    this.rows[keycode - this.minKeycode]?.fill(keysym);
  }

  /** The keycodes' rows in ChangeKeyboardMapping's form, one request per run of consecutive keycodes. */
  changeRequests(keycodes: readonly number[]): Array<{ firstKeycode: number; keysyms: number[] }> {
    const requests: Array<{ firstKeycode: number; keysyms: number[] }> = [];
    let previous = Number.NaN;
    for (const keycode of [...new Set(keycodes)].sort((first, second) => first - second)) {
      const last = requests.at(-1);
      if (last && keycode === previous + 1) last.keysyms.push(...this.row(keycode));
      else requests.push({ firstKeycode: keycode, keysyms: [...this.row(keycode)] });
      previous = keycode;
    }
    return requests;
  }
}

export interface ShiftState {
  /** Shift is physically down (held through toggle). */
  held: boolean;
  /** Some keycode acts as Shift, so Shift can be added. */
  available: boolean;
}

/** Where to press a character of typed text; undefined when only a spare keycode can give it. */
export function placeForText(map: KeyboardMap, keysym: number, shift: ShiftState): KeyPlace | undefined {
  if (shift.held) {
    // The caller's Shift stays down, so only a key that gives this keysym under Shift will do.
    const keycode = map.findUnderShift(keysym);
    return keycode === undefined ? undefined : { keycode, shift: false };
  }
  const plain = map.find(keysym, 0);
  if (plain !== undefined) return { keycode: plain, shift: false };
  const shifted = shift.available ? map.find(keysym, 1) : undefined;
  return shifted === undefined ? undefined : { keycode: shifted, shift: true };
}

/**
 * Where to press a key named in a chord or held down; undefined when only a spare keycode can give it.
 *
 * A keysym on a key's plain level ('a', Return, Shift_L) is that key alone. One only on the shifted
 * level ('A', '!') gets Shift added, so a lone 'A' or '!' gives what it names. The exception is a
 * capital letter in a chord with Control, Alt or Super: `["ctrl", "A"]` nearly always means the
 * shortcut Control+A (select all), which Control+Shift+A is not; whoever wants Shift in the chord names it.
 */
export function placeForKey(
  map: KeyboardMap,
  keysym: number,
  state: { shift: ShiftState; chordHeld: boolean },
): KeyPlace | undefined {
  const plain = map.find(keysym, 0);
  if (plain !== undefined) return { keycode: plain, shift: false };
  const shifted = map.find(keysym, 1);
  if (shifted === undefined) return undefined;
  if (state.shift.held || (state.chordHeld && hasCase(keysym))) return { keycode: shifted, shift: false };
  return state.shift.available ? { keycode: shifted, shift: true } : undefined;
}

/** Keycodes with no keysyms of their own, lent to keysyms the layout lacks. */
export class SpareKeycodes {
  /** By keycode: when the application is expected to have read the last event for it. */
  private readonly lastRead = new Map<number, number>();
  private applicationReadsUntil = Number.NEGATIVE_INFINITY;

  constructor(private keycodes: readonly number[]) {}

  get size(): number {
    return this.keycodes.length;
  }

  has(keycode: number): boolean {
    return this.keycodes.includes(keycode);
  }

  list(): readonly number[] {
    return this.keycodes;
  }

  replace(keycodes: readonly number[]): void {
    this.keycodes = keycodes;
  }

  /** Every key event sent, spare or not, since each adds to what the application has to read. */
  sent(keycode: number, now: number): void {
    this.applicationReadsUntil = Math.max(this.applicationReadsUntil, now) + applicationMsPerEvent;
    if (this.has(keycode)) this.lastRead.set(keycode, this.applicationReadsUntil);
  }

  /** When the keycode may get another keysym (see remapQuietMs). */
  quietAt(keycode: number): number {
    return (this.lastRead.get(keycode) ?? Number.NEGATIVE_INFINITY) + remapQuietMs;
  }

  /**
   * Spare keycodes for the keysyms, least recently used first (so they are handed out round-robin),
   * never a held one nor one already giving a keysym in `keep`. Fewer pairs when spares run short.
   */
  choose(
    keysyms: readonly number[],
    map: KeyboardMap,
    keep: ReadonlySet<number>,
    held: ReadonlySet<number>,
  ): Array<{ keycode: number; keysym: number }> {
    const lastUsed = (keycode: number) => this.lastRead.get(keycode) ?? Number.NEGATIVE_INFINITY;
    const free = this.keycodes
      .filter((keycode) => !held.has(keycode) && !keep.has(map.row(keycode)[0] ?? noSymbol))
      .sort((first, second) =>
        lastUsed(first) === lastUsed(second) ? 0 : lastUsed(first) - lastUsed(second),
      );
    return free
      .slice(0, keysyms.length)
      .map((keycode, index) => ({ keycode, keysym: keysyms[index] as number }));
  }
}
