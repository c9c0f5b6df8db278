import { describeValidationIssues } from '@bytebot/protocol';
import type { z } from 'zod';

/** A task file (or its solution) that cannot be read: it names the file and the field, so the author can fix it. */
export class OsworldTaskError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'OsworldTaskError';
  }
}

/** Parses a value found at `field` of a file, or throws an OsworldTaskError naming the deepest wrong field. */
export function parseField<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  file: string,
  field: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { message, path } = describeValidationIssues(parsed.error.issues, value);
  // describeValidationIssues says "<path>: <problem>" (or "body: <problem>" for the value itself).
  const problem = message.slice(message.indexOf(': ') + 2);
  const full = [field, ...(path ?? [])].filter((part) => part !== '').join('.');
  throw new OsworldTaskError(file, full, problem);
}
