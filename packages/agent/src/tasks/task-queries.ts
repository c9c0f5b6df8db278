import { storedText, taskLimitsSchema, taskStatusSchema } from '@bytebot/protocol';
import { z } from 'zod';

const page = z.coerce.number().int().min(1).max(100_000);
const limit = z.coerce.number().int().min(1).max(200);

export const listTasksQuery = z.object({
  page: page.default(1),
  limit: limit.default(20),
  status: taskStatusSchema.optional(),
  /** Several statuses, comma-separated (the original agent's `statuses=a,b`). */
  statuses: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(taskStatusSchema))
    .optional(),
});

export const listMessagesQuery = z.object({ page: page.optional(), limit: limit.optional() });

export const addMessageRequest = z
  .object({
    message: storedText(z.string().trim().min(1).max(20_000)).describe('What the person says to the model.'),
    limits: taskLimitsSchema
      .optional()
      .describe(
        "Replaces the task's limits named here (the others stay) before it resumes: raise the one that stopped it.",
      ),
  })
  .strict();

export const taskIdParameter = z.uuid();
