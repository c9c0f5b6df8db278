import { endianness } from 'node:os';
import sharp from 'sharp';
import type { EncodedImage, EncodeOptions, RawFrame } from './raw-input.ts';

const mediaTypes = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
const littleEndian = endianness() === 'LE';

/**
 * X hands back BGRA rows; PNG wants RGB. Four pixels at a time as 32-bit words (four reads, three writes)
 * take ~1.2 ms at 1280x960, against ~3.4 ms byte by byte and ~15 ms for sharp's recomb, and drop the
 * unused alpha byte at the same time. A word read little-endian holds 0xAARRGGBB.
 */
export function bgraToRgb(bgra: Buffer): Buffer {
  const pixels = bgra.length >>> 2;
  // A fresh ArrayBuffer rather than a slice of Buffer's shared pool, so the word view below is aligned.
  const rgb = Buffer.allocUnsafeSlow(pixels * 3);
  const wordsFit = littleEndian && bgra.byteOffset % 4 === 0;
  const wordPixels = wordsFit ? pixels & ~3 : 0;
  if (wordPixels > 0) {
    const source = new Uint32Array(bgra.buffer, bgra.byteOffset, wordPixels);
    const target = new Uint32Array(rgb.buffer, rgb.byteOffset, (wordPixels * 3) >>> 2);
    for (let pixel = 0, word = 0; pixel < wordPixels; pixel += 4, word += 3) {
      const first = source[pixel] as number;
      const second = source[pixel + 1] as number;
      const third = source[pixel + 2] as number;
      const fourth = source[pixel + 3] as number;
      // Bytes R0 G0 B0 R1 | G1 B1 R2 G2 | B2 R3 G3 B3, each word written little-endian.
      target[word] =
        ((first >>> 16) & 0xff) | (first & 0xff00) | ((first & 0xff) << 16) | ((second >>> 16) << 24);
      target[word + 1] =
        ((second >>> 8) & 0xff) | ((second & 0xff) << 8) | (third & 0xff0000) | ((third & 0xff00) << 16);
      target[word + 2] =
        (third & 0xff) | ((fourth >>> 8) & 0xff00) | ((fourth & 0xff00) << 8) | ((fourth & 0xff) << 24);
    }
  }
  // The last pixels when the count is not a multiple of four (or all of them when words do not fit).
  for (let source = wordPixels * 4, target = wordPixels * 3; source < pixels * 4; source += 4, target += 3) {
    rgb[target] = bgra[source + 2] as number;
    rgb[target + 1] = bgra[source + 1] as number;
    rgb[target + 2] = bgra[source] as number;
  }
  return rgb;
}

/**
 * Encodes a frame in memory only: no temporary files on the hot path. Grabbing (input/x11-screen.ts) and
 * encoding are apart so that a caller can look at frames (waiting for the screen to be still) and encode
 * only the one it keeps.
 */
export async function encodeFrame(frame: RawFrame, options: EncodeOptions): Promise<EncodedImage> {
  const rgb = bgraToRgb(frame.data);
  let pipeline = sharp(rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } });
  let width = frame.width;
  let height = frame.height;
  if (options.width !== undefined || options.height !== undefined) {
    width =
      options.width ?? Math.max(1, Math.round((frame.width * (options.height as number)) / frame.height));
    height = options.height ?? Math.max(1, Math.round((frame.height * width) / frame.width));
    if (width !== frame.width || height !== frame.height)
      pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: options.kernel ?? 'lanczos3' });
  }
  const quality = options.quality ?? 80;
  if (options.format === 'png') {
    // Level 1 without adaptive filtering: desktop images compress well even so, and encoding stays cheap.
    pipeline = pipeline.png({ compressionLevel: 1, adaptiveFiltering: false });
  } else if (options.format === 'jpeg') {
    pipeline = pipeline.jpeg({ quality });
  } else {
    pipeline = pipeline.webp({ quality, effort: 0 });
  }
  const data = await pipeline.toBuffer();
  return { data, mediaType: mediaTypes[options.format], width, height };
}
