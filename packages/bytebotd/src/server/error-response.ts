import { describeValidationIssues, type ErrorBody, errorStatuses } from '@bytebot/protocol';
import type { z } from 'zod';
import { BytebotdError } from '../bytebotd-error.ts';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

export function errorResponseFor(error: BytebotdError): ErrorResponse {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.path) body.error.path = [...error.path];
  return { status: errorStatuses[error.code], body };
}

/** Turns zod's first issue into one error naming the field and what was expected. */
export function validationError(issues: ReadonlyArray<z.core.$ZodIssue>, input: unknown): BytebotdError {
  const { message, path } = describeValidationIssues(issues, input);
  return new BytebotdError('INVALID_REQUEST', message, path);
}
