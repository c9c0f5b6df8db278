import { z } from 'zod';
import { limits } from './limits.ts';
import {
  buttonSchema,
  coordinatesSchema,
  durationSchema,
  holdKeysSchema,
  keyListSchema,
  pressSchema,
} from './primitives.schema.ts';
import {
  imageFormatSchema,
  imageQualitySchema,
  imageSizeFields,
  screenshotAfterSchema,
} from './screenshot-after.schema.ts';

/** Every action but screenshot and zoom (whose result is an image already) may ask for one after it. */
const screenshotAfter = screenshotAfterSchema.optional();

const path = z
  .array(coordinatesSchema)
  .max(limits.maxPathPoints)
  .describe('Points visited in order, in screen pixels.');

export const moveMouseSchema = z
  .object({
    action: z.literal('move_mouse'),
    coordinates: coordinatesSchema.describe('Where the pointer goes.'),
    screenshotAfter,
  })
  .strict()
  .describe('Moves the mouse pointer to a point.');

export const traceMouseSchema = z
  .object({
    action: z.literal('trace_mouse'),
    path: path.min(1),
    holdKeys: holdKeysSchema.optional(),
    screenshotAfter,
  })
  .strict()
  .describe('Moves the pointer along a path of points without pressing a button.');

export const clickMouseSchema = z
  .object({
    action: z.literal('click_mouse'),
    coordinates: coordinatesSchema
      .optional()
      .describe('Where to click; the current pointer position if omitted.'),
    button: buttonSchema.default('left'),
    clickCount: z
      .int()
      .min(1)
      .max(limits.maxClickCount)
      .default(1)
      .describe('2 for a double click, 3 for triple.'),
    holdKeys: holdKeysSchema.optional(),
    screenshotAfter,
  })
  .strict()
  .describe('Clicks a mouse button, optionally at a point and with keys held.');

export const pressMouseSchema = z
  .object({
    action: z.literal('press_mouse'),
    coordinates: coordinatesSchema
      .optional()
      .describe('Where to press; the current pointer position if omitted.'),
    button: buttonSchema.default('left'),
    press: pressSchema,
    screenshotAfter,
  })
  .strict()
  .describe('Presses or releases a mouse button without the other half of a click.');

export const dragMouseSchema = z
  .object({
    action: z.literal('drag_mouse'),
    path: path
      .min(2)
      .describe('Start point first, end point last; intermediate points are visited in order.'),
    button: buttonSchema.default('left'),
    holdKeys: holdKeysSchema.optional(),
    screenshotAfter,
  })
  .strict()
  .describe('Presses a button at the first point, moves along the path, and releases at the last.');

export const scrollSchema = z
  .object({
    action: z.literal('scroll'),
    coordinates: coordinatesSchema
      .optional()
      .describe('Where to scroll; the current pointer position if omitted.'),
    direction: z.enum(['up', 'down', 'left', 'right']).describe('Which way the content moves into view.'),
    scrollCount: z.int().min(1).max(limits.maxScrollCount).default(1).describe('Number of wheel steps.'),
    holdKeys: holdKeysSchema.optional(),
    screenshotAfter,
  })
  .strict()
  .describe('Turns the mouse wheel.');

export const typeKeysSchema = z
  .object({
    action: z.literal('type_keys'),
    keys: keyListSchema.describe(
      'Keys pressed together as one chord, e.g. ["Control_L", "s"], then released.',
    ),
    delay: durationSchema(limits.maxKeyDelayMs).optional().describe('Milliseconds between presses.'),
    screenshotAfter,
  })
  .strict()
  .describe('Presses a key or key combination once.');

export const pressKeysSchema = z
  .object({
    action: z.literal('press_keys'),
    keys: keyListSchema.describe('Keys to press or release.'),
    press: pressSchema,
    screenshotAfter,
  })
  .strict()
  .describe('Holds keys down or releases them, for combinations spanning several actions.');

export const typeTextSchema = z
  .object({
    action: z.literal('type_text'),
    text: z
      .string()
      .min(1)
      .max(limits.maxTextLength)
      .describe('Exact text to type; any Unicode, "\\n" is Return.'),
    delay: durationSchema(limits.maxKeyDelayMs)
      .optional()
      .describe('Milliseconds between characters; 0 if omitted.'),
    isSensitive: z.boolean().optional().describe('True for secrets: the text is never logged.'),
    screenshotAfter,
  })
  .strict()
  .describe('Types text into the focused window as keystrokes.');

export const pasteTextSchema = z
  .object({
    action: z.literal('paste_text'),
    text: z.string().min(1).max(limits.maxPasteLength).describe('Text put on the clipboard and pasted.'),
    isSensitive: z.boolean().optional().describe('True for secrets: the text is never logged.'),
    screenshotAfter,
  })
  .strict()
  .describe('Puts text on the clipboard and pastes it with Control+V; faster than typing for long text.');

export const waitSchema = z
  .object({
    action: z.literal('wait'),
    duration: durationSchema(limits.maxWaitMs).describe('Milliseconds to wait.'),
    screenshotAfter,
  })
  .strict()
  .describe('Waits, e.g. for a page to load.');

export const screenshotSchema = z
  .object({
    action: z.literal('screenshot'),
    format: imageFormatSchema,
    quality: imageQualitySchema,
    ...imageSizeFields,
  })
  .strict()
  .describe(
    'Captures the whole screen. With only one of width/height, the aspect ratio is kept. It takes no ' +
      'screenshotAfter: to wait for the screen to be still first, send wait with duration 0 and screenshotAfter.',
  );

const regionEdge = z.int().min(0).max(limits.maxCoordinate);
const regionSide = z.int().min(1).max(limits.maxCoordinate);

export const regionSchema = z
  .object({
    x: regionEdge.describe('Left edge in screen pixels, 0 at the left of the screen.'),
    y: regionEdge.describe('Top edge in screen pixels, 0 at the top of the screen.'),
    width: regionSide.describe('Width in screen pixels.'),
    height: regionSide.describe('Height in screen pixels.'),
  })
  .strict()
  .describe('A rectangle of the screen in screen pixels; it must lie wholly on the screen.');

export const zoomSchema = z
  .object({
    action: z.literal('zoom'),
    region: regionSchema.describe('The part of the screen to return, in screen pixels.'),
    scale: z
      .number()
      .min(1)
      .max(limits.maxZoomScale)
      .default(1)
      .describe(
        `Enlarge the region by this factor, 1 to ${limits.maxZoomScale}; 1 if omitted. Each screen pixel ` +
          'becomes scale x scale image pixels (nearest neighbour: sharp edges, no blended colours).',
      ),
    format: imageFormatSchema,
    quality: imageQualitySchema,
  })
  .strict()
  .describe(
    'Returns one region of the screen at full resolution, optionally enlarged: for reading small text or ' +
      'checking details that a scaled-down screenshot blurs. Coordinates in it map back to the screen as ' +
      'region.x + imageX / scale, region.y + imageY / scale.',
  );

export const cursorPositionSchema = z
  .object({ action: z.literal('cursor_position'), screenshotAfter })
  .strict()
  .describe('Returns where the mouse pointer is.');

export const applicationNames = [
  'firefox',
  'terminal',
  'file_manager',
  'directory',
  'text_editor',
  'desktop',
  'thunderbird',
  'vscode',
  '1password',
] as const;

export const applicationSchema = z
  .object({
    action: z.literal('application'),
    application: z
      .enum(applicationNames)
      .describe(
        'firefox, terminal, file_manager (also "directory"), text_editor, or desktop (minimises all windows). ' +
          'thunderbird, vscode and 1password work where they are installed.',
      ),
    screenshotAfter,
  })
  .strict()
  .describe('Opens an application, or focuses it when it is already open.');

export const writeFileSchema = z
  .object({
    action: z.literal('write_file'),
    path: z
      .string()
      .min(1)
      .max(limits.maxPathLength)
      .describe("Path inside the desktop user's home; relative paths are taken from the home directory."),
    data: z
      .base64()
      .max(limits.maxBodyBytes)
      .describe(`File content, base64; at most ${limits.maxFileBytes} bytes decoded.`),
    screenshotAfter,
  })
  .strict()
  .describe("Writes a file in the desktop user's home, creating missing folders.");

export const readFileSchema = z
  .object({
    action: z.literal('read_file'),
    path: z
      .string()
      .min(1)
      .max(limits.maxPathLength)
      .describe("Path inside the desktop user's home; relative paths are taken from the home directory."),
    screenshotAfter,
  })
  .strict()
  .describe("Reads a file from the desktop user's home.");

export const computerActionSchemas = [
  moveMouseSchema,
  traceMouseSchema,
  clickMouseSchema,
  pressMouseSchema,
  dragMouseSchema,
  scrollSchema,
  typeKeysSchema,
  pressKeysSchema,
  typeTextSchema,
  pasteTextSchema,
  waitSchema,
  screenshotSchema,
  cursorPositionSchema,
  applicationSchema,
  writeFileSchema,
  readFileSchema,
  zoomSchema,
] as const;

export const computerActionSchema = z
  .discriminatedUnion('action', computerActionSchemas)
  .describe('One computer action, chosen by its "action" field.');

export type ComputerAction = z.infer<typeof computerActionSchema>;
/** What a caller may send: defaults not yet applied. */
export type ComputerActionInput = z.input<typeof computerActionSchema>;
export type ActionName = ComputerAction['action'];
export type ActionOf<Name extends ActionName> = Extract<ComputerAction, { action: Name }>;
export type ActionInputOf<Name extends ActionName> = Extract<ComputerActionInput, { action: Name }>;

export const actionNames = computerActionSchemas.map((schema) => schema.shape.action.value) as ActionName[];
