import { z } from 'zod';

/** Every error code bytebotd can answer with, and the HTTP status each one maps to. */
export const errorStatuses = {
  INVALID_JSON: 400,
  INVALID_REQUEST: 400,
  OUT_OF_BOUNDS: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN_PATH: 403,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  APPLICATION_UNAVAILABLE: 404,
  METHOD_NOT_ALLOWED: 405,
  TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UPSTREAM_UNAVAILABLE: 502,
  DESKTOP_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatuses;

export const errorCodes = Object.keys(errorStatuses) as ErrorCode[];

export const errorBodySchema = z
  .object({
    error: z
      .object({
        code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]).describe('Machine-readable error code.'),
        message: z.string().describe('What went wrong, naming the field and what was expected.'),
        path: z
          .array(z.union([z.string(), z.number()]))
          .optional()
          .describe('Where in the request the problem is, e.g. ["coordinates", "x"].'),
      })
      .loose(),
  })
  .describe('An error.');

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Retrying the same request may succeed for these; the others need a different request. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
