import type { TaskRepository } from '../storage/index.ts';
import type { TaskAnnouncer } from './task-announcer.ts';
import type { StatusRequest } from './tool-executor.ts';

export type EndStatus = 'COMPLETED' | 'FAILED' | 'NEEDS_HELP';

/** Moves a running task to its next status, unless a person changed it meanwhile (cancel wins). */
export class TaskEnding {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly announce: TaskAnnouncer,
  ) {}

  async finish(
    taskId: string,
    status: EndStatus,
    fields: { error?: string; result?: Record<string, unknown> },
  ): Promise<void> {
    const updated = await this.tasks.update(
      taskId,
      {
        status,
        error: fields.error ?? null,
        ...(fields.result ? { result: fields.result } : {}),
        // A task waiting for a person is not over: its completion time comes when it ends.
        ...(status === 'NEEDS_HELP' ? {} : { completedAt: new Date() }),
      },
      { onlyIfStatusIn: ['RUNNING', 'PENDING'] },
    );
    if (updated) this.announce.task(updated);
  }

  /** The model's own set_task_status. */
  async asRequested(taskId: string, request: StatusRequest): Promise<void> {
    if (request.status === 'completed')
      await this.finish(taskId, 'COMPLETED', { result: { summary: request.description } });
    else if (request.status === 'failed') await this.finish(taskId, 'FAILED', { error: request.description });
    else await this.finish(taskId, 'NEEDS_HELP', { error: request.description });
  }
}
