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

/** The result schema for each action, so server output and client input are validated alike. */
export const actionResultSchemas = {
  move_mouse: successResultSchema,
  trace_mouse: successResultSchema,
  click_mouse: successResultSchema,
  press_mouse: successResultSchema,
  drag_mouse: successResultSchema,
  scroll: successResultSchema,
  type_keys: successResultSchema,
  press_keys: successResultSchema,
  type_text: successResultSchema,
  paste_text: successResultSchema,
  wait: successResultSchema,
  screenshot: screenshotResultSchema,
  cursor_position: cursorPositionResultSchema,
  application: successResultSchema,
  write_file: writeFileResultSchema,
  read_file: readFileResultSchema,
} as const satisfies Record<ActionName, z.ZodType>;

export type ActionResultOf<Name extends ActionName> = z.infer<(typeof actionResultSchemas)[Name]>;
export type ScreenshotResult = z.infer<typeof screenshotResultSchema>;
export type ReadFileResult = z.infer<typeof readFileResultSchema>;
