import { listTasksQuerySchema, type TaskCounts, taskCountsQuerySchema } from '@bytebot/protocol';
import { parseRequest } from '../request-input.ts';
import type { Task, TaskRepository } from '../storage/index.ts';

/**
 * The task lists people browse: pages filtered by status and a search of the descriptions, in the order
 * asked for, and the counts by status beside them. Reads only; what changes tasks is the TaskService's.
 */
export class TaskListing {
  constructor(private readonly tasks: TaskRepository) {}

  async list(query: unknown): Promise<{ tasks: Task[]; total: number; totalPages: number }> {
    const { page, limit, status, statuses, search, sort } = parseRequest(listTasksQuerySchema, query);
    const wanted = statuses ?? (status ? [status] : undefined);
    const { tasks, total } = await this.tasks.list({
      page,
      limit,
      sort,
      ...(wanted ? { statuses: wanted } : {}),
      ...(search ? { search } : {}),
    });
    return { tasks, total, totalPages: Math.ceil(total / limit) };
  }

  async counts(query: unknown): Promise<TaskCounts> {
    const { search } = parseRequest(taskCountsQuerySchema, query);
    const counts = await this.tasks.countByStatus(search ? { search } : {});
    return { counts, total: Object.values(counts).reduce((sum, count) => sum + count, 0) };
  }
}
