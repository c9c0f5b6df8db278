/**
 * X keysym names accepted in `type_keys`, `press_keys` and `holdKeys`, with their keysym values.
 * A closed table, so an unknown key is a 400 before anything reaches the desktop; any single
 * printable character is accepted too (its keysym is derived from its code point).
 */
const namedKeysyms: Record<string, number> = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Linefeed: 0xff0a,
  Clear: 0xff0b,
  Return: 0xff0d,
  Pause: 0xff13,
  Scroll_Lock: 0xff14,
  Sys_Req: 0xff15,
  Escape: 0xff1b,
  Delete: 0xffff,
  Home: 0xff50,
  Left: 0xff51,
  Up: 0xff52,
  Right: 0xff53,
  Down: 0xff54,
  Prior: 0xff55,
  Page_Up: 0xff55,
  Next: 0xff56,
  Page_Down: 0xff56,
  End: 0xff57,
  Begin: 0xff58,
  Select: 0xff60,
  Print: 0xff61,
  Execute: 0xff62,
  Insert: 0xff63,
  Undo: 0xff65,
  Redo: 0xff66,
  Menu: 0xff67,
  Find: 0xff68,
  Cancel: 0xff69,
  Help: 0xff6a,
  Break: 0xff6b,
  Num_Lock: 0xff7f,
  KP_Space: 0xff80,
  KP_Tab: 0xff89,
  KP_Enter: 0xff8d,
  KP_Home: 0xff95,
  KP_Left: 0xff96,
  KP_Up: 0xff97,
  KP_Right: 0xff98,
  KP_Down: 0xff99,
  KP_Prior: 0xff9a,
  KP_Page_Up: 0xff9a,
  KP_Next: 0xff9b,
  KP_Page_Down: 0xff9b,
  KP_End: 0xff9c,
  KP_Begin: 0xff9d,
  KP_Insert: 0xff9e,
  KP_Delete: 0xff9f,
  KP_Multiply: 0xffaa,
  KP_Add: 0xffab,
  KP_Separator: 0xffac,
  KP_Subtract: 0xffad,
  KP_Decimal: 0xffae,
  KP_Divide: 0xffaf,
  KP_Equal: 0xffbd,
  Shift_L: 0xffe1,
  Shift_R: 0xffe2,
  Control_L: 0xffe3,
  Control_R: 0xffe4,
  Caps_Lock: 0xffe5,
  Shift_Lock: 0xffe6,
  Meta_L: 0xffe7,
  Meta_R: 0xffe8,
  Alt_L: 0xffe9,
  Alt_R: 0xffea,
  Super_L: 0xffeb,
  Super_R: 0xffec,
  Hyper_L: 0xffed,
  Hyper_R: 0xffee,
  ISO_Level3_Shift: 0xfe03,
  space: 0x20,
  exclam: 0x21,
  quotedbl: 0x22,
  numbersign: 0x23,
  dollar: 0x24,
  percent: 0x25,
  ampersand: 0x26,
  apostrophe: 0x27,
  parenleft: 0x28,
  parenright: 0x29,
  asterisk: 0x2a,
  plus: 0x2b,
  comma: 0x2c,
  minus: 0x2d,
  period: 0x2e,
  slash: 0x2f,
  colon: 0x3a,
  semicolon: 0x3b,
  less: 0x3c,
  equal: 0x3d,
  greater: 0x3e,
  question: 0x3f,
  at: 0x40,
  bracketleft: 0x5b,
  backslash: 0x5c,
  bracketright: 0x5d,
  asciicircum: 0x5e,
  underscore: 0x5f,
  grave: 0x60,
  braceleft: 0x7b,
  bar: 0x7c,
  braceright: 0x7d,
  asciitilde: 0x7e,
  XF86AudioLowerVolume: 0x1008ff11,
  XF86AudioMute: 0x1008ff12,
  XF86AudioRaiseVolume: 0x1008ff13,
  XF86AudioPlay: 0x1008ff14,
  XF86AudioStop: 0x1008ff15,
  XF86AudioPrev: 0x1008ff16,
  XF86AudioNext: 0x1008ff17,
  XF86HomePage: 0x1008ff18,
  XF86Mail: 0x1008ff19,
  XF86Search: 0x1008ff1b,
  XF86Calculator: 0x1008ff1d,
  XF86Back: 0x1008ff26,
  XF86Forward: 0x1008ff27,
  XF86Refresh: 0x1008ff29,
};

for (let index = 1; index <= 24; index += 1) namedKeysyms[`F${index}`] = 0xffbd + index;
for (let digit = 0; digit <= 9; digit += 1) namedKeysyms[`KP_${digit}`] = 0xffb0 + digit;

/** Names models and programs commonly use for the same keys (lower case; matched case-insensitively). */
const aliases: Record<string, string> = {
  ctrl: 'Control_L',
  control: 'Control_L',
  lctrl: 'Control_L',
  rctrl: 'Control_R',
  alt: 'Alt_L',
  option: 'Alt_L',
  altgr: 'ISO_Level3_Shift',
  shift: 'Shift_L',
  super: 'Super_L',
  win: 'Super_L',
  windows: 'Super_L',
  meta: 'Super_L',
  cmd: 'Super_L',
  command: 'Super_L',
  enter: 'Return',
  esc: 'Escape',
  backspace: 'BackSpace',
  del: 'Delete',
  ins: 'Insert',
  pageup: 'Prior',
  pgup: 'Prior',
  pagedown: 'Next',
  pgdn: 'Next',
  arrowup: 'Up',
  arrowdown: 'Down',
  arrowleft: 'Left',
  arrowright: 'Right',
  capslock: 'Caps_Lock',
  numlock: 'Num_Lock',
  scrolllock: 'Scroll_Lock',
  printscreen: 'Print',
  prtsc: 'Print',
  spacebar: 'space',
};

const byLowerCaseName = new Map<string, string>();
for (const name of Object.keys(namedKeysyms)) byLowerCaseName.set(name.toLowerCase(), name);
for (const [alias, name] of Object.entries(aliases)) byLowerCaseName.set(alias, name);

export interface ResolvedKey {
  /** The canonical X keysym name, or the character itself for a single character. */
  name: string;
  keysym: number;
}

/** Keysym of one printable character: Latin-1 maps directly, everything else to the Unicode keysym range. */
export function keysymForCharacter(character: string): number | undefined {
  const codePoint = character.codePointAt(0);
  if (codePoint === undefined || [...character].length !== 1) return undefined;
  if (codePoint === 0x0a || codePoint === 0x0d) return namedKeysyms.Return;
  if (codePoint === 0x09) return namedKeysyms.Tab;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return undefined;
  if (codePoint <= 0xff) return codePoint;
  return 0x01000000 + codePoint;
}

/** Resolves a key name as a caller wrote it; undefined when it names no key. */
export function resolveKey(written: string): ResolvedKey | undefined {
  const exact = namedKeysyms[written];
  if (exact !== undefined) return { name: written, keysym: exact };
  if ([...written].length === 1) {
    const keysym = keysymForCharacter(written);
    return keysym === undefined ? undefined : { name: written, keysym };
  }
  const canonical = byLowerCaseName.get(written.toLowerCase());
  if (canonical === undefined) return undefined;
  return { name: canonical, keysym: namedKeysyms[canonical] as number };
}

export function isKnownKey(written: string): boolean {
  return resolveKey(written) !== undefined;
}

/** A short list for tool documentation: the names a model most needs. */
export const commonKeyNames = [
  'Return',
  'Tab',
  'Escape',
  'BackSpace',
  'Delete',
  'Home',
  'End',
  'Page_Up',
  'Page_Down',
  'Up',
  'Down',
  'Left',
  'Right',
  'Control_L',
  'Alt_L',
  'Shift_L',
  'Super_L',
  'F1',
  'space',
] as const;
