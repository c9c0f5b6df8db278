import { AgentError } from '../agent-error.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs; anything else would reach PostgreSQL and fail there as a syntax error. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/**
 * Runs an insert of a row that belongs to a task. A task deleted meanwhile (or never there) becomes
 * NOT_FOUND instead of a foreign-key violation carrying the whole query and its parameters.
 */
export async function insertForTask<Row>(taskId: string, insert: () => Promise<Row>): Promise<Row> {
  if (!isUuid(taskId)) throw missingTask(taskId);
  try {
    return await insert();
  } catch (error) {
    if (violatedConstraint(error)?.includes('task_id')) throw missingTask(taskId);
    throw error;
  }
}

export function missingTask(taskId: string): AgentError {
  return new AgentError('NOT_FOUND', `taskId: no task ${taskId}`, ['taskId']);
}

/** drizzle wraps the driver's error; both drivers report PostgreSQL's code and constraint name. */
function violatedConstraint(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const { code, constraint } = current as Error & { code?: unknown; constraint?: unknown };
    if (code === '23503') return typeof constraint === 'string' ? constraint : '';
  }
  return undefined;
}
