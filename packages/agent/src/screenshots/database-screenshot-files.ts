import { and, eq } from 'drizzle-orm';
import type { Database } from '../storage/index.ts';
import { screenshots } from '../storage/schema.ts';
import { insertForTask } from '../storage/task-reference.ts';
import type { ScreenshotFiles } from './screenshot-files.ts';

/**
 * Screenshots as rows of the shared PostgreSQL: any agent of the fleet serves any task's screenshots, and
 * they go with their task (on delete cascade). Screenshots an agent stored as files before it had a shared
 * database are still read from its folder.
 */
export class DatabaseScreenshotFiles implements ScreenshotFiles {
  constructor(
    private readonly db: Database,
    private readonly earlierFiles?: ScreenshotFiles,
  ) {}

  async write(taskId: string, id: string, mediaType: string, bytes: Uint8Array): Promise<void> {
    await insertForTask(taskId, () =>
      this.db
        .insert(screenshots)
        .values({
          taskId,
          id,
          mediaType,
          data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        })
        .onConflictDoNothing(),
    );
  }

  async read(taskId: string, id: string): Promise<Buffer | undefined> {
    const [row] = await this.db
      .select({ data: screenshots.data })
      .from(screenshots)
      .where(and(eq(screenshots.taskId, taskId), eq(screenshots.id, id)));
    return row?.data ?? (await this.earlierFiles?.read(taskId, id));
  }

  async removeTask(taskId: string): Promise<void> {
    // The rows went with the task; a delete here covers a task whose row outlived the call order.
    await this.db.delete(screenshots).where(eq(screenshots.taskId, taskId));
    await this.earlierFiles?.removeTask(taskId);
  }
}
