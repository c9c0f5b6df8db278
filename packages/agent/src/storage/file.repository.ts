import { asc, eq } from 'drizzle-orm';
import type { Database } from './database.ts';
import { insertedRow } from './inserted-row.ts';
import { files } from './schema.ts';
import { insertForTask, isUuid } from './task-reference.ts';

export type TaskFile = typeof files.$inferSelect;

export interface CreateTaskFileInput {
  taskId: string;
  name: string;
  /** Media type. */
  type: string;
  size: number;
  data: Buffer;
}

export class FileRepository {
  constructor(private readonly db: Database) {}

  async create(input: CreateTaskFileInput): Promise<TaskFile> {
    const [file] = await insertForTask(input.taskId, () =>
      this.db
        .insert(files)
        .values({
          taskId: input.taskId,
          name: input.name,
          type: input.type,
          size: input.size,
          data: input.data,
        })
        .returning(),
    );
    return insertedRow(file);
  }

  /** The task's files in the order they were attached (PGlite's clock ticks in milliseconds: within one, any order). */
  async listForTask(taskId: string): Promise<TaskFile[]> {
    if (!isUuid(taskId)) return [];
    return this.db
      .select()
      .from(files)
      .where(eq(files.taskId, taskId))
      .orderBy(asc(files.createdAt), asc(files.id));
  }
}
