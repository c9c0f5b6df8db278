import { z } from 'zod';
import { limits } from './limits.ts';

/** How an image is encoded: shared by `screenshot`, `zoom` and `screenshotAfter`. */
export const imageFormatSchema = z
  .enum(['png', 'jpeg', 'webp'])
  .default('png')
  .describe('Image encoding; PNG (the default) is lossless.');

export const imageQualitySchema = z
  .int()
  .min(1)
  .max(100)
  .optional()
  .describe('JPEG/WebP quality; 80 if omitted.');

/** Scaling of a whole-screen image: with only one of the two, the aspect ratio is kept. */
export const imageSizeFields = {
  width: z.int().min(16).max(limits.maxCoordinate).optional().describe('Scale to this width in pixels.'),
  height: z.int().min(16).max(limits.maxCoordinate).optional().describe('Scale to this height in pixels.'),
};

const settleWaitMs = z.int().min(0).max(limits.maxSettleWaitMs);

export const screenshotAfterSchema = z
  .object({
    format: imageFormatSchema,
    quality: imageQualitySchema,
    ...imageSizeFields,
    quietMs: settleWaitMs
      .default(limits.defaultSettleQuietMs)
      .describe(
        `Milliseconds the screen must stay unchanged first; ${limits.defaultSettleQuietMs} if omitted, ` +
          'up to twice that while it animates. Raise it for applications slow to react. A blinking text ' +
          'caret does not count as a change.',
      ),
    maxWaitMs: settleWaitMs
      .default(limits.defaultSettleWaitMs)
      .describe(
        `Longest wait for that, in milliseconds; ${limits.defaultSettleWaitMs} if omitted. Then the ` +
          'screenshot is taken anyway, with settled: false.',
      ),
  })
  .strict()
  .refine((options) => options.quietMs <= options.maxWaitMs, {
    path: ['quietMs'],
    error: 'expected at most maxWaitMs: the screen must be able to stay still for quietMs within maxWaitMs',
  })
  .describe(
    'Also return a screenshot (as "screenshot" in the result), taken once the screen has stopped ' +
      'changing after the action, so no separate screenshot or wait is needed. Encoded like the ' +
      'screenshot action; {} for a PNG with the defaults.',
  );

export type ScreenshotAfter = z.infer<typeof screenshotAfterSchema>;
