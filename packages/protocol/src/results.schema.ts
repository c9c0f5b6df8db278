import { z } from 'zod';
import type { ActionName } from './actions.schema.ts';

export const successResultSchema = z
  .object({ success: z.literal(true) })
  .describe('The action was carried out.');

export const screenshotResultSchema = z
  .object({
    image: z.base64().describe('The encoded image, base64.'),
    mediaType: z.enum(['image/png', 'image/jpeg', 'image/webp']).describe('Encoding of the image.'),
    width: z.int().positive().describe('Image width in pixels.'),
    height: z.int().positive().describe('Image height in pixels.'),
  })
  .describe('A screenshot.');

export const zoomResultSchema = screenshotResultSchema.describe(
  "The region at full resolution, enlarged by scale: width and height are the region's times scale.",
);

export const settledScreenshotSchema = screenshotResultSchema
  .extend({
    settled: z
      .boolean()
      .describe(
        'True when the screen had stopped changing for quietMs; false when maxWaitMs passed first, ' +
          'and the image is the last frame seen (the screen may still be changing: look again later).',
      ),
    waitedMs: z
      .int()
      .min(0)
      .describe('Milliseconds from the end of the action to the moment the image shows.'),
  })
  .describe('The screenshot asked for with screenshotAfter, taken once the screen was still.');

/** An action's own result, and the screenshot after it when the action asked for one. */
function withScreenshotAfter<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  return schema.extend({
    screenshot: settledScreenshotSchema
      .optional()
      .describe('Present when the action asked for screenshotAfter.'),
  });
}

export const cursorPositionResultSchema = z
  .object({
    x: z.int().describe('Horizontal pointer position in screen pixels.'),
    y: z.int().describe('Vertical pointer position in screen pixels.'),
  })
  .describe('Where the pointer is.');

export const writeFileResultSchema = z
  .object({
    success: z.literal(true),
    path: z.string().describe('Absolute path of the written file.'),
    size: z.int().min(0).describe('Bytes written.'),
    message: z.string(),
  })
  .describe('The file was written.');

export const readFileResultSchema = z
  .object({
    success: z.literal(true),
    path: z.string().describe('Absolute path of the file read.'),
    name: z.string().describe('File name without its folder.'),
    size: z.int().min(0).describe('File size in bytes.'),
    mediaType: z.string().describe('Media type guessed from the file name.'),
    data: z.base64().describe('File content, base64.'),
  })
  .describe('The file content.');

const successAndScreenshotSchema = withScreenshotAfter(successResultSchema).describe(
  'The action was carried out.',
);

/** The result schema for each action, so server output and client input are validated alike. */
export const actionResultSchemas = {
  move_mouse: successAndScreenshotSchema,
  trace_mouse: successAndScreenshotSchema,
  click_mouse: successAndScreenshotSchema,
  press_mouse: successAndScreenshotSchema,
  drag_mouse: successAndScreenshotSchema,
  scroll: successAndScreenshotSchema,
  type_keys: successAndScreenshotSchema,
  press_keys: successAndScreenshotSchema,
  type_text: successAndScreenshotSchema,
  paste_text: successAndScreenshotSchema,
  wait: successAndScreenshotSchema,
  screenshot: screenshotResultSchema,
  cursor_position: withScreenshotAfter(cursorPositionResultSchema).describe('Where the pointer is.'),
  application: successAndScreenshotSchema,
  write_file: withScreenshotAfter(writeFileResultSchema).describe('The file was written.'),
  read_file: withScreenshotAfter(readFileResultSchema).describe('The file content.'),
  zoom: zoomResultSchema,
} as const satisfies Record<ActionName, z.ZodType>;

export type ActionResultOf<Name extends ActionName> = z.infer<(typeof actionResultSchemas)[Name]>;
export type ScreenshotResult = z.infer<typeof screenshotResultSchema>;
export type SettledScreenshotResult = z.infer<typeof settledScreenshotSchema>;
export type ReadFileResult = z.infer<typeof readFileResultSchema>;
