import { z } from 'zod';

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']).describe('"ok" when every check passed.'),
    display: z.string().describe('The X display bytebotd drives, e.g. ":99".'),
    screen: z
      .object({ width: z.int(), height: z.int() })
      .optional()
      .describe('Screen size, when the display answers.'),
    checks: z
      .object({
        display: z.boolean().describe('The X server answers.'),
        input: z.boolean().describe('The input backend is connected.'),
        vnc: z.boolean().describe('The VNC server accepts connections (live view).'),
      })
      .describe('Each readiness check.'),
    version: z.string(),
  })
  .describe('Readiness of bytebotd.');

export type Health = z.infer<typeof healthSchema>;
