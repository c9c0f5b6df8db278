import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const taskIdPattern = /^[0-9a-f-]{36}$/;

/**
 * Where a task's screenshot bytes live, each under its content-addressed name: files of the data directory
 * (embedded mode), or rows of the shared PostgreSQL (a fleet). The store above it does the naming.
 */
export interface ScreenshotFiles {
  /** Keeps the bytes under `id`; an existing `id` already holds these bytes, and is left as it is. */
  write(taskId: string, id: string, mediaType: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or undefined when the task has no such screenshot. */
  read(taskId: string, id: string): Promise<Buffer | undefined>;
  removeTask(taskId: string): Promise<void>;
}

/** One folder per task in the agent's data directory; served only by the agent that took them. */
export class FolderScreenshotFiles implements ScreenshotFiles {
  constructor(private readonly root: string) {}

  private folder(taskId: string): string {
    if (!taskIdPattern.test(taskId)) throw new Error(`not a task id: ${taskId}`);
    return join(this.root, taskId);
  }

  async write(taskId: string, id: string, _mediaType: string, bytes: Uint8Array): Promise<void> {
    const folder = this.folder(taskId);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, id), bytes, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }

  async read(taskId: string, id: string): Promise<Buffer | undefined> {
    return readFile(join(this.folder(taskId), id)).catch(() => undefined);
  }

  async removeTask(taskId: string): Promise<void> {
    await rm(this.folder(taskId), { recursive: true, force: true });
  }
}
