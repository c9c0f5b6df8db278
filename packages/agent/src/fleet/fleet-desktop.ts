import { handOffNote } from '../loop/desktop-move.ts';
import type { RunnerDesktop } from '../loop/task-runner.ts';
import type { TaskQueue } from '../queue/index.ts';
import type { DesktopRepository, TaskRepository } from '../storage/index.ts';
import type { TaskEvents } from '../tasks/task-events.ts';
import type { DesktopHeartbeat } from './desktop-heartbeat.ts';

export interface FleetDesktopOptions {
  heartbeat: DesktopHeartbeat;
  desktops: DesktopRepository;
  tasks: TaskRepository;
  queue: TaskQueue;
  events: TaskEvents;
  downAfterMs: number;
  log: { warn(line: string): void };
}

/**
 * The desktop this agent drives, as its task loop sees it: busy while a task runs, and, when it stops
 * answering under a task, the task goes back to the fleet's queue for another desktop (when the queue is
 * shared and another desktop is up) instead of waiting for a person.
 */
export class FleetDesktop implements RunnerDesktop {
  constructor(private readonly options: FleetDesktopOptions) {}

  get id(): string {
    return this.options.heartbeat.desktopId;
  }

  taskStarted(taskId: string): void {
    this.options.heartbeat.taskStarted(taskId);
  }

  taskEnded(taskId: string): void {
    this.options.heartbeat.taskEnded(taskId);
  }

  async handOff(taskId: string, detail: string): Promise<boolean> {
    const { heartbeat, desktops, queue, downAfterMs } = this.options;
    // Down from now, and this agent takes no task until its desktop answers again (in a fleet).
    await heartbeat.lost();
    if (queue.kind !== 'bullmq' || !(await desktops.anotherIsUp(this.id, downAfterMs))) return false;
    return this.requeue(taskId, `stopped answering (${detail})`);
  }

  /**
   * The agent is stopping (SIGTERM, a scale-down): in a fleet, the tasks its loops ran go back to the queue
   * for another desktop, instead of staying RUNNING until this agent starts again. Called with the tasks
   * that ran (`tasks` before the loops were stopped) once the loops have stopped and before the queue
   * closes; a single agent picks its tasks up again at its next start.
   */
  async leave(taskIds: string[]): Promise<void> {
    if (this.options.queue.kind !== 'bullmq') return;
    for (const taskId of taskIds) await this.requeue(taskId, 'stopped (its agent is stopping)');
  }

  /** The tasks this desktop runs now. */
  get tasks(): string[] {
    return this.options.heartbeat.tasks;
  }

  private async requeue(taskId: string, what: string): Promise<boolean> {
    const { tasks, queue, events, log } = this.options;
    const waiting = await tasks.update(
      taskId,
      { status: 'PENDING', error: handOffNote(this.id, what) },
      { onlyIfStatusIn: ['RUNNING'] },
    );
    // Cancelled or ended meanwhile: nothing is left to hand over.
    if (!waiting) return true;
    events.emit('task_updated', waiting);
    try {
      // Enqueued while its run here is still the queue's active job: it waits until this run has ended.
      await queue.enqueue({
        id: waiting.id,
        priority: waiting.priority,
        createdAt: waiting.createdAt,
        scheduledFor: null,
      });
    } catch (error) {
      log.warn(`task ${taskId}: could not be handed to another desktop: ${(error as Error).message}`);
      return false;
    }
    log.warn(`task ${taskId}: desktop ${this.id} ${what}; the task waits for another desktop`);
    return true;
  }
}
