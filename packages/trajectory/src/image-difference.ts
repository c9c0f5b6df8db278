import sharp from 'sharp';

export interface ImageDifference {
  /** Share of pixels (0 to 1) whose colour differs by more than the pixel threshold. */
  fraction: number;
  /** PNG: the new image dimmed, with every differing pixel in red. */
  image: Buffer;
  width: number;
  height: number;
}

/** A channel must differ by more than this (of 255) for a pixel to count: JPEG noise and anti-aliasing do not. */
export const defaultPixelThreshold = 48;

/** Compares two screenshots pixel by pixel, the second scaled to the first's size when they differ. */
export async function compareImages(
  expected: Uint8Array,
  actual: Uint8Array,
  pixelThreshold = defaultPixelThreshold,
): Promise<ImageDifference> {
  const first = await sharp(expected).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = first.info;
  const second = await sharp(actual).removeAlpha().resize(width, height, { fit: 'fill' }).raw().toBuffer();
  const marked = Buffer.alloc(width * height * 3);
  let differing = 0;
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    const offset = pixel * 3;
    let largest = 0;
    for (let channel = 0; channel < 3; channel += 1) {
      const delta = Math.abs((first.data[offset + channel] ?? 0) - (second[offset + channel] ?? 0));
      if (delta > largest) largest = delta;
    }
    if (largest > pixelThreshold) {
      differing += 1;
      marked[offset] = 255;
    } else {
      for (let channel = 0; channel < 3; channel += 1) {
        marked[offset + channel] = Math.round((second[offset + channel] ?? 0) * 0.35);
      }
    }
  }
  const image = await sharp(marked, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  return { fraction: differing / (width * height), image, width, height };
}
