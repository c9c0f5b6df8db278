import { z } from 'zod';
import { commonKeyNames, isKnownKey } from './key-names.ts';
import { limits } from './limits.ts';

const pixel = z.int().min(0).max(limits.maxCoordinate);

export const coordinatesSchema = z
  .object({
    x: pixel.describe('Horizontal position in screen pixels, 0 at the left edge.'),
    y: pixel.describe('Vertical position in screen pixels, 0 at the top edge.'),
  })
  .strict()
  .describe('A point on the screen in pixels.');

export const buttonSchema = z.enum(['left', 'right', 'middle']).describe('The mouse button.');

export const pressSchema = z
  .enum(['down', 'up'])
  .describe('"down" presses and holds, "up" releases what an earlier "down" pressed.');

export const keyNameSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isKnownKey, {
    error: (issue) => `unknown key "${String(issue.input)}"; use an X keysym name or a single character`,
  })
  .describe(
    `An X keysym name (${commonKeyNames.join(', ')}, a-z, 0-9, F1-F24, ...), a common alias ` +
      '(ctrl, alt, shift, super, enter, esc, backspace, pageup), or a single character.',
  );

export const keyListSchema = z.array(keyNameSchema).min(1).max(limits.maxKeysPerAction);

export const holdKeysSchema = z
  .array(keyNameSchema)
  .max(limits.maxKeysPerAction)
  .describe('Keys held down during the action and released after it, e.g. ["Shift_L"] for shift-click.');

export const durationSchema = (maximum: number) => z.int().min(0).max(maximum);
