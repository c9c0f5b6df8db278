import { settlesWithin } from './deadline.ts';
import {
  defaultCloseTimeoutMs,
  defaultLog,
  describeError,
  priorityRank,
  type QueuedTask,
  type TaskQueue,
  type TaskWorker,
} from './task-queue.ts';

export interface InProcessTaskQueueOptions {
  log?: ((line: string) => void) | undefined;
  /** How long `close()` waits for running tasks; see `defaultCloseTimeoutMs`. */
  closeTimeoutMs?: number | undefined;
}

interface WaitingTask {
  task: QueuedTask;
  /** Breaks ties between tasks of one priority created in the same millisecond: first enqueued runs first. */
  sequence: number;
}

interface Consumer {
  worker: TaskWorker;
  busy: boolean;
}

/** setTimeout fires at once for longer delays (2^31 - 1 ms, about 24.8 days), so longer waits are chained. */
const longestTimerMs = 2 ** 31 - 1;

function runsBefore(left: WaitingTask, right: WaitingTask): boolean {
  const byPriority = priorityRank[left.task.priority] - priorityRank[right.task.priority];
  if (byPriority !== 0) return byPriority < 0;
  const byAge = left.task.createdAt.getTime() - right.task.createdAt.getTime();
  if (byAge !== 0) return byAge < 0;
  return left.sequence < right.sequence;
}

/**
 * The queue for a single machine (no REDIS_URL): a sorted list of waiting tasks, one timer per scheduled
 * task, and consumers that take the first waiting task whenever one is added or a consumer becomes free.
 * Nothing survives the process: the service enqueues its unfinished tasks again when it starts.
 */
export class InProcessTaskQueue implements TaskQueue {
  readonly kind = 'in-process';
  /** Most urgent first. */
  private readonly waiting: WaitingTask[] = [];
  private readonly scheduled = new Map<string, { task: QueuedTask; timer: NodeJS.Timeout }>();
  private readonly running = new Map<string, Promise<void>>();
  /** Tasks enqueued again while they run: they join the queue when that run ends. */
  private readonly runAgain = new Map<string, QueuedTask>();
  private readonly consumers: Consumer[] = [];
  private readonly log: (line: string) => void;
  private readonly closeTimeoutMs: number;
  private sequence = 0;
  private closing: Promise<void> | undefined;
  private paused = false;

  constructor(options: InProcessTaskQueueOptions = {}) {
    this.log = options.log ?? defaultLog;
    this.closeTimeoutMs = options.closeTimeoutMs ?? defaultCloseTimeoutMs;
  }

  async enqueue(task: QueuedTask): Promise<void> {
    this.assertOpen();
    if (this.running.has(task.id)) {
      // The latest wins, as with BullMQ's keepLastIfActive: it carries the newest priority and time.
      this.runAgain.set(task.id, task);
      return;
    }
    if (this.scheduled.has(task.id) || this.waiting.some((entry) => entry.task.id === task.id)) return;
    this.admit(task);
  }

  async remove(taskId: string): Promise<void> {
    this.runAgain.delete(taskId);
    const scheduled = this.scheduled.get(taskId);
    if (scheduled) {
      clearTimeout(scheduled.timer);
      this.scheduled.delete(taskId);
    }
    const index = this.waiting.findIndex((entry) => entry.task.id === taskId);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  async start(worker: TaskWorker): Promise<void> {
    this.assertOpen();
    this.consumers.push({ worker, busy: false });
    this.dispatch();
  }

  async pause(): Promise<void> {
    this.paused = true;
  }

  async resume(): Promise<void> {
    this.paused = false;
    this.dispatch();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const { timer } of this.scheduled.values()) clearTimeout(timer);
    this.scheduled.clear();
    if (this.running.size === 0) return;
    const finished = await settlesWithin(Promise.all(this.running.values()), this.closeTimeoutMs);
    if (!finished) {
      this.log(
        `closed after ${this.closeTimeoutMs} ms with tasks still running: ${[...this.running.keys()].join(', ')}`,
      );
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('the task queue is closed');
  }

  /** Puts a task in line, or on a timer if its time has not come; the timer calls this again. */
  private admit(task: QueuedTask): void {
    const wait = (task.scheduledFor?.getTime() ?? 0) - Date.now();
    if (wait > 0) {
      const timer = setTimeout(
        () => {
          this.scheduled.delete(task.id);
          this.admit(task);
        },
        Math.min(wait, longestTimerMs),
      );
      this.scheduled.set(task.id, { task, timer });
      return;
    }
    const entry = { task, sequence: this.sequence++ };
    const index = this.waiting.findIndex((other) => runsBefore(entry, other));
    this.waiting.splice(index < 0 ? this.waiting.length : index, 0, entry);
    this.dispatch();
  }

  private dispatch(): void {
    if (this.closing || this.paused) return;
    for (const consumer of this.consumers) {
      if (this.waiting.length === 0) return;
      if (consumer.busy) continue;
      const entry = this.waiting.shift();
      if (entry) this.run(consumer, entry.task);
    }
  }

  private run(consumer: Consumer, task: QueuedTask): void {
    consumer.busy = true;
    // Started from a resolved promise so the worker never runs inside the caller of enqueue() or start().
    const run = Promise.resolve(task.id)
      .then(consumer.worker)
      .catch((error: unknown) => this.log(`task ${task.id}: the worker failed: ${describeError(error)}`));
    this.running.set(task.id, run);
    void run.then(() => {
      this.running.delete(task.id);
      consumer.busy = false;
      const again = this.runAgain.get(task.id);
      this.runAgain.delete(task.id);
      if (again && !this.closing) this.admit(again);
      else this.dispatch();
    });
  }
}
