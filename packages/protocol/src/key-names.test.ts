import { describe, expect, it } from 'vitest';
import { keysymForCharacter, resolveKey } from './key-names.ts';

describe('key names', () => {
  it('resolves X keysym names exactly and aliases case-insensitively', () => {
    expect(resolveKey('Return')).toEqual({ name: 'Return', keysym: 0xff0d });
    expect(resolveKey('ENTER')).toEqual({ name: 'Return', keysym: 0xff0d });
    expect(resolveKey('ctrl')).toEqual({ name: 'Control_L', keysym: 0xffe3 });
    expect(resolveKey('control_l')).toEqual({ name: 'Control_L', keysym: 0xffe3 });
    expect(resolveKey('F12')).toEqual({ name: 'F12', keysym: 0xffc9 });
    expect(resolveKey('KP_7')).toEqual({ name: 'KP_7', keysym: 0xffb7 });
    expect(resolveKey('Page_Down')?.keysym).toBe(resolveKey('Next')?.keysym);
  });

  it('keeps single characters case-sensitive', () => {
    expect(resolveKey('a')?.keysym).toBe(0x61);
    expect(resolveKey('A')?.keysym).toBe(0x41);
  });

  it('maps characters to Latin-1 or Unicode keysyms', () => {
    expect(keysymForCharacter('é')).toBe(0xe9);
    expect(keysymForCharacter('€')).toBe(0x010020ac);
    expect(keysymForCharacter('😀')).toBe(0x0101f600);
    expect(keysymForCharacter('\n')).toBe(0xff0d);
    expect(keysymForCharacter('\u0007')).toBeUndefined();
    expect(keysymForCharacter('ab')).toBeUndefined();
  });

  it('refuses names that are no key', () => {
    for (const name of ['Hyperdrive', 'ctrl+s', '', 'F99', 'Control-L'])
      expect(resolveKey(name)).toBeUndefined();
  });
});
