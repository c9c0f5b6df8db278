import { describe, expect, it } from 'vitest';
import {
  applicationMsPerEvent,
  hasCase,
  KeyboardMap,
  noSymbol,
  placeForKey,
  placeForText,
  remapQuietMs,
  SpareKeycodes,
} from './keyboard-map.ts';

const a = 0x61;
const A = 0x41;
const one = 0x31;
const exclam = 0x21;
const Return = 0xff0d;
const Tab = 0xff09;
const ISO_Left_Tab = 0xfe20;
const Shift_L = 0xffe1;
const Super_L = 0xffeb;
const euro = 0x010020ac;
const udiaeresis = 0xfc;

/** A slice of Xvfb's US map: keycode 10 onwards, 4 keysyms per keycode. */
function usMap(): KeyboardMap {
  return new KeyboardMap(
    10,
    [
      [one, exclam, one, exclam], // 10
      [a, A, a, A], // 11
      [Return, noSymbol, Return, noSymbol], // 12
      [noSymbol, noSymbol, noSymbol, noSymbol], // 13, spare
      [Tab, ISO_Left_Tab, Tab, ISO_Left_Tab], // 14
      [Shift_L, noSymbol, Shift_L, noSymbol], // 15
      [noSymbol, Super_L, noSymbol, Super_L], // 16: Super_L only shifted, as XKB lists it
      [noSymbol, noSymbol, noSymbol, noSymbol], // 17, spare
      [noSymbol, noSymbol, noSymbol, noSymbol], // 18, spare
      [Super_L, noSymbol, Super_L, noSymbol], // 19
      [noSymbol, noSymbol, noSymbol, noSymbol], // 20, spare
    ],
    4,
  );
}

const noShift = { held: false, available: true };
const shiftHeld = { held: true, available: true };

describe('hasCase', () => {
  it('knows letters with two cases from everything else', () => {
    expect(hasCase(a)).toBe(true);
    expect(hasCase(A)).toBe(true);
    expect(hasCase(udiaeresis)).toBe(true);
    expect(hasCase(0x01000431)).toBe(true); // Cyrillic б
    expect(hasCase(one)).toBe(false);
    expect(hasCase(euro)).toBe(false);
    expect(hasCase(0x01006e2f)).toBe(false); // 日
    expect(hasCase(Return)).toBe(false);
  });
});

describe('placeForText', () => {
  it('presses plain keysyms alone and shifted ones with Shift', () => {
    const map = usMap();
    expect(placeForText(map, a, noShift)).toEqual({ keycode: 11, shift: false });
    expect(placeForText(map, A, noShift)).toEqual({ keycode: 11, shift: true });
    expect(placeForText(map, exclam, noShift)).toEqual({ keycode: 10, shift: true });
    expect(placeForText(map, Return, noShift)).toEqual({ keycode: 12, shift: false });
  });

  it('prefers a plain place over a shifted one on a lower keycode', () => {
    expect(placeForText(usMap(), Super_L, noShift)).toEqual({ keycode: 19, shift: false });
  });

  it('leaves keysyms the map lacks, and shifted ones when nothing acts as Shift, to spare keycodes', () => {
    const map = usMap();
    expect(placeForText(map, euro, noShift)).toBeUndefined();
    expect(placeForText(map, udiaeresis, noShift)).toBeUndefined();
    expect(placeForText(map, A, { held: false, available: false })).toBeUndefined();
  });

  it('with the caller holding Shift, uses only keys that give the keysym under Shift', () => {
    const map = usMap();
    expect(placeForText(map, A, shiftHeld)).toEqual({ keycode: 11, shift: false });
    expect(placeForText(map, Return, shiftHeld)).toEqual({ keycode: 12, shift: false });
    expect(placeForText(map, a, shiftHeld)).toBeUndefined();
    expect(placeForText(map, Tab, shiftHeld)).toBeUndefined();
  });

  it('finds keysyms put on spare keycodes with or without Shift held', () => {
    const map = usMap();
    map.fill(13, A);
    map.fill(17, euro);
    expect(placeForText(map, euro, noShift)).toEqual({ keycode: 17, shift: false });
    expect(placeForText(map, euro, shiftHeld)).toEqual({ keycode: 17, shift: false });
    expect(placeForText(map, A, shiftHeld)).toEqual({ keycode: 11, shift: false });
  });
});

describe('placeForKey', () => {
  const alone = { shift: noShift, chordHeld: false };

  it('adds Shift for a keysym only on the shifted level, so a lone "A" or "!" types it', () => {
    const map = usMap();
    expect(placeForKey(map, A, alone)).toEqual({ keycode: 11, shift: true });
    expect(placeForKey(map, exclam, alone)).toEqual({ keycode: 10, shift: true });
    expect(placeForKey(map, Shift_L, alone)).toEqual({ keycode: 15, shift: false });
  });

  it('treats a capital letter in a chord as the letter key, but keeps Shift for symbols', () => {
    const map = usMap();
    const chord = { shift: noShift, chordHeld: true };
    expect(placeForKey(map, A, chord)).toEqual({ keycode: 11, shift: false });
    expect(placeForKey(map, exclam, chord)).toEqual({ keycode: 10, shift: true });
  });

  it('adds no second Shift when the caller holds one', () => {
    expect(placeForKey(usMap(), exclam, { shift: shiftHeld, chordHeld: false })).toEqual({
      keycode: 10,
      shift: false,
    });
  });

  it('leaves absent keysyms to spare keycodes', () => {
    expect(placeForKey(usMap(), euro, alone)).toBeUndefined();
  });
});

describe('KeyboardMap', () => {
  it('fills every column of a spare keycode and clears it again', () => {
    const map = usMap();
    map.fill(13, A);
    expect(map.row(13)).toEqual([A, A, A, A]);
    expect(map.isSingleKeysym(13)).toBe(true);
    map.fill(13, noSymbol);
    expect(map.isEmpty(13)).toBe(true);
  });

  it('recognises a lent keycode as the server reads it back, and not ordinary keys', () => {
    const map = new KeyboardMap(
      8,
      [
        [euro, euro, euro, euro, noSymbol, noSymbol, noSymbol],
        [a, A, a, A],
        [Return, noSymbol],
      ],
      7,
    );
    expect(map.isSingleKeysym(8)).toBe(true);
    expect(map.isSingleKeysym(9)).toBe(false);
    expect(map.isSingleKeysym(10)).toBe(false);
  });

  it('merges consecutive keycodes into one ChangeKeyboardMapping request', () => {
    const map = usMap();
    map.fill(17, euro);
    map.fill(18, udiaeresis);
    map.fill(13, A);
    expect(map.changeRequests([18, 13, 17])).toEqual([
      { firstKeycode: 13, keysyms: [A, A, A, A] },
      { firstKeycode: 17, keysyms: [euro, euro, euro, euro, udiaeresis, udiaeresis, udiaeresis, udiaeresis] },
    ]);
  });
});

describe('SpareKeycodes', () => {
  it('hands out unused keycodes first, then the least recently used, never a held one', () => {
    const map = usMap();
    const spares = new SpareKeycodes([13, 17, 18, 20]);
    spares.sent(13, 0);
    spares.sent(17, 10);
    const none = new Set<number>();
    expect(spares.choose([euro, udiaeresis, A], map, none, none).map((loan) => loan.keycode)).toEqual([
      18, 20, 13,
    ]);
    expect(spares.choose([euro], map, none, new Set([18, 20, 13])).map((loan) => loan.keycode)).toEqual([17]);
  });

  it('keeps keycodes holding keysyms still needed, and gives fewer when short', () => {
    const map = usMap();
    map.fill(13, euro);
    const spares = new SpareKeycodes([13, 17]);
    const loans = spares.choose([udiaeresis, A], map, new Set([euro, udiaeresis, A]), new Set());
    expect(loans).toEqual([{ keycode: 17, keysym: udiaeresis }]);
  });

  it('keeps a keysym until the application has read the events sent before, and a little longer', () => {
    const spares = new SpareKeycodes([13]);
    expect(spares.quietAt(13)).toBe(Number.NEGATIVE_INFINITY);
    for (let event = 0; event < 100; event += 1) spares.sent(11, 1000);
    spares.sent(13, 1000);
    expect(spares.quietAt(13)).toBe(1000 + 101 * applicationMsPerEvent + remapQuietMs);
    spares.sent(11, 5000);
    expect(spares.quietAt(13)).toBe(1000 + 101 * applicationMsPerEvent + remapQuietMs);
  });
});
