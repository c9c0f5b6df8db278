import { describeValidationIssues } from '@bytebot/protocol';
import type { z } from 'zod';
import { AgentError } from './agent-error.ts';

/**
 * A request's body, query or path parameter read through its protocol schema; INVALID_REQUEST naming the
 * field when it does not fit. `prefix` names a value that is not the body (a path parameter: "id").
 */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  prefix?: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { message, path } = describeValidationIssues(parsed.error.issues, value);
  throw new AgentError(
    'INVALID_REQUEST',
    prefix ? `${prefix}: ${message.replace(/^body: /, '')}` : message,
    path,
  );
}
