import {
  type TaskControl,
  type TaskLimits,
  type TaskPriority,
  type TaskSort,
  type TaskStatus,
  taskStatuses,
  type Usage,
} from '@bytebot/protocol';
import { and, asc, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Database } from './database.ts';
import { insertedRow } from './inserted-row.ts';
import { pagingOffset } from './paging.ts';
import { type TaskCreator, type TaskType, tasks } from './schema.ts';
import { isUuid, missingTask } from './task-reference.ts';

export type Task = typeof tasks.$inferSelect;

export interface CreateTaskInput {
  description: string;
  type: TaskType;
  priority: TaskPriority;
  createdBy: TaskCreator;
  scheduledFor?: Date | null;
  model?: string | null;
  limits?: TaskLimits | null;
}

/** What one model call adds to a task beside its tokens. */
export interface TaskProgress {
  /** Model calls of the loop (a summary is not a step). */
  steps?: number;
  costUsd?: number;
  /** Running time since the last addition. */
  runningMs?: number;
}

export type TaskPatch = Partial<{
  status: TaskStatus;
  control: TaskControl;
  error: string | null;
  result: unknown;
  executedAt: Date | null;
  completedAt: Date | null;
  model: string | null;
  limits: TaskLimits | null;
  desktopId: string | null;
}>;

// The only columns update() writes, whatever else a caller's object carries at run time.
const patchableColumns = [
  'status',
  'control',
  'error',
  'result',
  'executedAt',
  'completedAt',
  'model',
  'limits',
  'desktopId',
] as const;

/** URGENT above HIGH above MEDIUM above LOW: the column is text, so its order is spelled out. */
const priorityRank = sql<number>`case ${tasks.priority} when 'URGENT' then 3 when 'HIGH' then 2 when 'MEDIUM' then 1 else 0 end`;

/**
 * A case-insensitive substring test of the description. The text is a bound parameter; LIKE's own
 * characters in it (%, _ and the escape character) are escaped, so a search for "50%" finds "50%" only.
 */
function descriptionHolds(search: string | undefined): SQL | undefined {
  if (!search) return undefined;
  const escaped = search.replace(/[\\%_]/g, (character) => `\\${character}`);
  return sql`${tasks.description} ilike ${`%${escaped}%`} escape '\\'`;
}

export class TaskRepository {
  constructor(private readonly db: Database) {}

  async create(input: CreateTaskInput): Promise<Task> {
    const [task] = await this.db
      .insert(tasks)
      .values({
        description: input.description,
        type: input.type,
        priority: input.priority,
        createdBy: input.createdBy,
        scheduledFor: input.scheduledFor ?? null,
        model: input.model ?? null,
        limits: input.limits ?? null,
        status: 'PENDING',
        control: 'ASSISTANT',
      })
      .returning();
    return insertedRow(task);
  }

  /** A finished task brought in from elsewhere (an imported trajectory), with its counters as they were. */
  async restore(
    input: CreateTaskInput &
      Pick<
        Task,
        | 'status'
        | 'error'
        | 'result'
        | 'steps'
        | 'inputTokens'
        | 'outputTokens'
        | 'cacheReadTokens'
        | 'cacheWriteTokens'
        | 'costUsd'
        | 'runningMs'
        | 'createdAt'
        | 'completedAt'
      >,
  ): Promise<Task> {
    const [task] = await this.db
      .insert(tasks)
      .values({
        ...input,
        scheduledFor: input.scheduledFor ?? null,
        model: input.model ?? null,
        control: 'ASSISTANT',
      })
      .returning();
    return insertedRow(task);
  }

  async get(id: string): Promise<Task | undefined> {
    if (!isUuid(id)) return undefined;
    const [task] = await this.db.select().from(tasks).where(eq(tasks.id, id));
    return task;
  }

  /**
   * Newest first, or by priority (URGENT first) and then newest; `statuses`, when given, keeps the tasks in
   * one of them (an empty list keeps none), and `search` those whose description holds it in any case. Tasks
   * created in the same clock tick (a millisecond on PGlite) follow in id order, so pages stay stable.
   */
  async list(options: {
    page: number;
    limit: number;
    statuses?: TaskStatus[];
    search?: string;
    sort?: TaskSort;
  }): Promise<{
    tasks: Task[];
    total: number;
  }> {
    const { page, limit } = options;
    const offset = pagingOffset(page, limit);
    const where = and(
      options.statuses ? inArray(tasks.status, options.statuses) : undefined,
      descriptionHolds(options.search),
    );
    const order =
      options.sort === 'priority'
        ? [desc(priorityRank), desc(tasks.createdAt), desc(tasks.id)]
        : [desc(tasks.createdAt), desc(tasks.id)];
    const [rows, [counted]] = await Promise.all([
      this.db
        .select()
        .from(tasks)
        .where(where)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      this.db.select({ total: count() }).from(tasks).where(where),
    ]);
    return { tasks: rows, total: counted?.total ?? 0 };
  }

  /** How many tasks are in each status (every status named), of those whose description holds `search`. */
  async countByStatus(options: { search?: string } = {}): Promise<Record<TaskStatus, number>> {
    const rows = await this.db
      .select({ status: tasks.status, total: count() })
      .from(tasks)
      .where(descriptionHolds(options.search))
      .groupBy(tasks.status);
    const counts = Object.fromEntries(taskStatuses.map((status) => [status, 0])) as Record<
      TaskStatus,
      number
    >;
    for (const row of rows) counts[row.status] = row.total;
    return counts;
  }

  /**
   * Changes the task and returns it, or returns undefined when it is gone or, with `onlyIfStatusIn`, when its
   * status is not one of those. The status test sits in the UPDATE's WHERE clause: PostgreSQL re-checks it
   * on the row it locks, so of two workers claiming the same PENDING task exactly one gets a row back.
   */
  async update(
    id: string,
    patch: TaskPatch,
    options?: { onlyIfStatusIn?: TaskStatus[] },
  ): Promise<Task | undefined> {
    if (!isUuid(id)) return undefined;
    const changes: PgUpdateSetSource<typeof tasks> = { updatedAt: sql`now()` };
    for (const column of patchableColumns) {
      if (patch[column] !== undefined) Object.assign(changes, { [column]: patch[column] });
    }
    const conditions = [eq(tasks.id, id)];
    if (options?.onlyIfStatusIn) conditions.push(inArray(tasks.status, options.onlyIfStatusIn));
    const [task] = await this.db
      .update(tasks)
      .set(changes)
      .where(and(...conditions))
      .returning();
    return task;
  }

  /**
   * Adds a model response's tokens, and the steps, cost and running time that go with it, in the database
   * itself, so concurrent additions never lose one.
   */
  async addUsage(id: string, usage: Usage, progress: TaskProgress = {}): Promise<Task> {
    if (!isUuid(id)) throw missingTask(id);
    const [task] = await this.db
      .update(tasks)
      .set({
        inputTokens: sql`${tasks.inputTokens} + ${usage.inputTokens}`,
        outputTokens: sql`${tasks.outputTokens} + ${usage.outputTokens}`,
        cacheReadTokens: sql`${tasks.cacheReadTokens} + ${usage.cacheReadTokens}`,
        cacheWriteTokens: sql`${tasks.cacheWriteTokens} + ${usage.cacheWriteTokens}`,
        ...this.progressChanges(progress),
        updatedAt: sql`now()`,
      })
      .where(eq(tasks.id, id))
      .returning();
    if (!task) throw missingTask(id);
    return task;
  }

  /** Adds running time (milliseconds) and returns the task as it is now; undefined when it is gone. */
  async addRunningTime(id: string, runningMs: number): Promise<Task | undefined> {
    if (!isUuid(id)) return undefined;
    const [task] = await this.db
      .update(tasks)
      .set({ ...this.progressChanges({ runningMs }), updatedAt: sql`now()` })
      .where(eq(tasks.id, id))
      .returning();
    return task;
  }

  private progressChanges(progress: TaskProgress): PgUpdateSetSource<typeof tasks> {
    const changes: PgUpdateSetSource<typeof tasks> = {};
    if (progress.steps) changes.steps = sql`${tasks.steps} + ${Math.round(progress.steps)}`;
    // In whole micro-dollars, the column's scale: the sum stays exact, with no binary fractions added up.
    if (progress.costUsd) changes.costUsd = sql`${tasks.costUsd} + ${progress.costUsd.toFixed(6)}::numeric`;
    if (progress.runningMs) changes.runningMs = sql`${tasks.runningMs} + ${Math.round(progress.runningMs)}`;
    return changes;
  }

  /** Deletes the task with its messages, summaries and files; false when there was no such task. */
  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const deleted = await this.db.delete(tasks).where(eq(tasks.id, id)).returning({ id: tasks.id });
    return deleted.length > 0;
  }

  /** Oldest first: what a restarted agent picks up again, in the order it was asked for. */
  async listByStatus(statuses: TaskStatus[]): Promise<Task[]> {
    return this.db
      .select()
      .from(tasks)
      .where(inArray(tasks.status, statuses))
      .orderBy(asc(tasks.createdAt), asc(tasks.id));
  }
}
