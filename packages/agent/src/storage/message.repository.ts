import type { MessageRole, StoredContentBlock } from '@bytebot/protocol';
import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { Database } from './database.ts';
import { insertedRow } from './inserted-row.ts';
import { pagingOffset } from './paging.ts';
import { messages, type StepUsage } from './schema.ts';
import { insertForTask, isUuid } from './task-reference.ts';

export type Message = typeof messages.$inferSelect;

export class MessageRepository {
  constructor(private readonly db: Database) {}

  async append(
    taskId: string,
    role: MessageRole,
    content: StoredContentBlock[],
    usage?: StepUsage,
    /** When the message was written; now unless it is brought in from a trajectory. */
    createdAt?: Date,
  ): Promise<Message> {
    const [message] = await insertForTask(taskId, () =>
      this.db
        .insert(messages)
        .values({ taskId, role, content, ...(usage ? { usage } : {}), ...(createdAt ? { createdAt } : {}) })
        .returning(),
    );
    return insertedRow(message);
  }

  /** The conversation in order; with `limit`, one 1-based page of it (page 1 when no page is given). */
  async list(taskId: string, paging?: { page?: number; limit?: number }): Promise<Message[]> {
    if (!isUuid(taskId)) return [];
    const query = this.db
      .select()
      .from(messages)
      .where(eq(messages.taskId, taskId))
      .orderBy(asc(messages.sequence));
    if (paging?.limit === undefined) return query;
    return query.limit(paging.limit).offset(pagingOffset(paging.page ?? 1, paging.limit));
  }

  /** The messages after `sequence`: what a summary covering up to it leaves to be sent verbatim. */
  async listAfter(taskId: string, sequence: number): Promise<Message[]> {
    if (!isUuid(taskId)) return [];
    return this.db
      .select()
      .from(messages)
      .where(and(eq(messages.taskId, taskId), gt(messages.sequence, sequence)))
      .orderBy(asc(messages.sequence));
  }

  async count(taskId: string): Promise<number> {
    if (!isUuid(taskId)) return 0;
    const [counted] = await this.db
      .select({ total: count() })
      .from(messages)
      .where(eq(messages.taskId, taskId));
    return counted?.total ?? 0;
  }
}
