import { describe, expect, it } from 'vitest';
import { bgraToRgb } from './screen-capture.ts';

/** The obvious byte-by-byte reordering the fast path must agree with. */
function reference(bgra: Buffer): Buffer {
  const rgb = Buffer.alloc((bgra.length / 4) * 3);
  for (let pixel = 0; pixel < bgra.length / 4; pixel += 1) {
    rgb[pixel * 3] = bgra[pixel * 4 + 2] as number;
    rgb[pixel * 3 + 1] = bgra[pixel * 4 + 1] as number;
    rgb[pixel * 3 + 2] = bgra[pixel * 4] as number;
  }
  return rgb;
}

function pixels(count: number, offset = 0): Buffer {
  const backing = Buffer.alloc(offset + count * 4);
  for (let index = 0; index < count * 4; index += 1) backing[offset + index] = (index * 37 + 11) & 0xff;
  return backing.subarray(offset);
}

describe('bgraToRgb', () => {
  it('reorders BGRA to RGB and drops alpha, four pixels at a time and for the rest', () => {
    for (const count of [0, 1, 3, 4, 5, 8, 11, 1280 * 2]) {
      const bgra = pixels(count);
      expect(bgraToRgb(bgra)).toEqual(reference(bgra));
    }
  });

  it('handles a buffer that does not start on a 4-byte boundary', () => {
    const bgra = pixels(9, 1);
    expect(bgra.byteOffset % 4).not.toBe(0);
    expect(bgraToRgb(bgra)).toEqual(reference(bgra));
  });
});
