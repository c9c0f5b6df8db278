import { describe, expect, it } from 'vitest';
import { cookieFor, parseXauthority } from './xauthority.ts';

function entry(family: number, address: string, display: string, name: string, data: Buffer): Buffer {
  const field = (value: Buffer) => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(value.length);
    return Buffer.concat([length, value]);
  };
  const familyBytes = Buffer.alloc(2);
  familyBytes.writeUInt16BE(family);
  return Buffer.concat([
    familyBytes,
    field(Buffer.from(address)),
    field(Buffer.from(display)),
    field(Buffer.from(name)),
    field(data),
  ]);
}

const cookie = Buffer.from([0x00, 0xff, 0x80, 0x7f, 0x10]);

describe('Xauthority', () => {
  it('parses entries, keeping binary cookies byte for byte', () => {
    const file = Buffer.concat([
      entry(256, 'desk', '99', 'MIT-MAGIC-COOKIE-1', cookie),
      entry(65535, '', '3', 'MIT-MAGIC-COOKIE-1', Buffer.from('x')),
    ]);
    const entries = parseXauthority(file);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      family: 256,
      address: 'desk',
      display: '99',
      name: 'MIT-MAGIC-COOKIE-1',
    });
    expect(Buffer.from(entries[0]?.data ?? '', 'latin1')).toEqual(cookie);
  });

  it('drops a truncated last entry', () => {
    const whole = entry(256, 'desk', '99', 'MIT-MAGIC-COOKIE-1', cookie);
    const file = Buffer.concat([whole, whole.subarray(0, 12)]);
    expect(parseXauthority(file)).toHaveLength(1);
  });

  it('matches the display number and this machine, or a wildcard entry', () => {
    const entries = parseXauthority(
      Buffer.concat([
        entry(256, 'other', '99', 'A', Buffer.from('1')),
        entry(256, 'desk', '98', 'B', Buffer.from('2')),
        entry(256, 'desk', '99', 'C', Buffer.from('3')),
        entry(65535, '', '7', 'D', Buffer.from('4')),
      ]),
    );
    expect(cookieFor(entries, { host: '', displayNumber: '99', hostname: 'desk' })).toEqual({
      name: 'C',
      data: '3',
    });
    expect(cookieFor(entries, { host: '', displayNumber: '7', hostname: 'desk' })).toEqual({
      name: 'D',
      data: '4',
    });
    expect(cookieFor(entries, { host: '', displayNumber: '5', hostname: 'desk' })).toBeUndefined();
  });
});
