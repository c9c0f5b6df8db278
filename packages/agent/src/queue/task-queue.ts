import type { TaskPriority } from '@bytebot/protocol';

export interface QueuedTask {
  id: string;
  priority: TaskPriority;
  createdAt: Date;
  /** The task waits until then; a time in the past (or none) means it may run at once. */
  scheduledFor?: Date | null;
}

/** Runs one task to its end (or until it pauses); the queue considers the task done when it resolves or rejects. */
export type TaskWorker = (taskId: string) => Promise<void>;

/**
 * The tasks waiting for a desktop, most urgent first. A consumer (one `start()`) is one desktop: it runs
 * one task at a time, and every task runs on exactly one consumer.
 */
export interface TaskQueue {
  readonly kind: 'bullmq' | 'in-process';
  /**
   * Idempotent per id: enqueueing a task that is already waiting (or scheduled) does not add it twice, and
   * the first enqueue's priority and time stand. Enqueueing a task while it runs queues one more run, which
   * starts after the current one ends, never beside it (a task resumed just as its previous run finishes).
   */
  enqueue(task: QueuedTask): Promise<void>;
  /** Takes a waiting (or scheduled) task out; no effect if it is running or unknown. */
  remove(taskId: string): Promise<void>;
  /** Adds one consumer that runs one task at a time (one consumer = one desktop). May be called more than once. */
  start(worker: TaskWorker): Promise<void>;
  /**
   * This process's consumers take no more tasks until `resume()` (the tasks they run go on): its desktop
   * stopped answering, and the tasks are better left to other desktops. Consumers started while paused
   * start paused.
   */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops taking tasks; resolves after running workers have finished, or after the implementation's close timeout. */
  close(): Promise<void>;
}

/** Position of each priority in the queue: lower runs first. */
export const priorityRank: Readonly<Record<TaskPriority, number>> = { URGENT: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

/**
 * How long `close()` waits for running tasks by default. Tasks run for minutes, so waiting for them to end
 * is not an option at shutdown; this fits inside `docker stop`'s 10 s grace period. A task still running
 * then is picked up again later (by another consumer for BullMQ, by the restarted service in-process).
 */
export const defaultCloseTimeoutMs = 8_000;

/** Where queue events nobody awaits (failed runs, lost locks, Redis outages) go when no log is given. */
export function defaultLog(line: string): void {
  console.warn(`task queue: ${line}`);
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
