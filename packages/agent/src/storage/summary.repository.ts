import { desc, eq } from 'drizzle-orm';
import type { Database } from './database.ts';
import { insertedRow } from './inserted-row.ts';
import { summaries } from './schema.ts';
import { insertForTask, isUuid } from './task-reference.ts';

export type Summary = typeof summaries.$inferSelect;

export interface CreateSummaryInput {
  taskId: string;
  content: string;
  /** The summary this one extends, when it folds an earlier summary in. */
  parentId?: string | null;
  coversUntilSequence: number;
}

export class SummaryRepository {
  constructor(private readonly db: Database) {}

  async create(input: CreateSummaryInput): Promise<Summary> {
    const [summary] = await insertForTask(input.taskId, () =>
      this.db
        .insert(summaries)
        .values({
          taskId: input.taskId,
          content: input.content,
          parentId: input.parentId ?? null,
          coversUntilSequence: input.coversUntilSequence,
        })
        .returning(),
    );
    return insertedRow(summary);
  }

  /** The summary reaching furthest into the conversation; the newer one when two reach equally far. */
  async latest(taskId: string): Promise<Summary | undefined> {
    if (!isUuid(taskId)) return undefined;
    const [summary] = await this.db
      .select()
      .from(summaries)
      .where(eq(summaries.taskId, taskId))
      .orderBy(desc(summaries.coversUntilSequence), desc(summaries.createdAt))
      .limit(1);
    return summary;
  }
}
