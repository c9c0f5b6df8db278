import type { z } from 'zod';

type Found = { present: true; value: unknown } | { present: false };

/** The value the caller sent at a path (zod reports it only on request, and not for missing fields). */
function valueAt(input: unknown, path: ReadonlyArray<string | number>): Found {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment))
      return { present: false };
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { present: true, value: current };
}

/**
 * zod's first issue as one message naming the field and what was expected, and the field's path.
 * Pass the input that was parsed, so a missing field reads "required" and a wrong one says what it was.
 */
export function describeValidationIssues(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  input: unknown,
): {
  message: string;
  path: Array<string | number> | undefined;
} {
  const issue = closestIssue(issues[0]);
  if (!issue) return { message: 'the request is invalid', path: undefined };
  const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  const field = path.length > 0 ? path.join('.') : 'body';
  return {
    message: `${field}: ${describeIssue(issue, valueAt(input, path))}`,
    path: path.length > 0 ? path : undefined,
  };
}

/**
 * A value that matches no option of a union: when exactly one option is of the value's type (its issues
 * are about the value's contents, not its type), that option's first issue says what is wrong, at its
 * full path ("model.name: required"); otherwise the union's own issue stands.
 */
function closestIssue(issue: z.core.$ZodIssue | undefined): z.core.$ZodIssue | undefined {
  if (issue?.code !== 'invalid_union' || 'discriminator' in issue || !issue.errors) return issue;
  const ofTheRightType = issue.errors.filter(
    (option) => option[0] && !(option[0].code === 'invalid_type' && option[0].path.length === 0),
  );
  const [only] = ofTheRightType;
  if (ofTheRightType.length !== 1 || !only?.[0]) return issue;
  const inner = only[0];
  return closestIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
}

function describeIssue(issue: z.core.$ZodIssue, found: Found): string {
  switch (issue.code) {
    case 'invalid_union':
      if ('discriminator' in issue) {
        // zod puts the allowed discriminator values on the issue, though its type does not say so.
        const options = (issue as { options?: unknown }).options;
        if (Array.isArray(options)) return `expected one of ${options.join(', ')}`;
      }
      if (
        issue.errors?.every((option) => option[0]?.code === 'invalid_type' && option[0].path.length === 0)
      ) {
        const expected = issue.errors.map((option) =>
          expectedName((option[0] as { expected: string }).expected),
        );
        return `expected ${expected.join(' or ')}${found.present ? `, got ${describeValue(found.value)}` : ''}`;
      }
      return issue.message;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_type':
      if (!found.present) return `required, expected ${expectedName(issue.expected)}`;
      return `expected ${expectedName(issue.expected)}, got ${describeValue(found.value)}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `expected at least ${issue.minimum} ${issue.origin === 'string' ? 'characters' : 'items'}`
        : `expected a number >= ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `expected at most ${issue.maximum} ${issue.origin === 'string' ? 'characters' : 'items'}`
        : `expected a number <= ${issue.maximum}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`;
    case 'invalid_format':
      return `expected ${issue.format === 'base64' ? 'base64 data' : `a ${issue.format} string`}`;
    default:
      return issue.message;
  }
}

function expectedName(expected: string): string {
  return expected === 'int' ? 'an integer' : expected === 'object' ? 'an object' : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the number ${value}`;
  return typeof value;
}
