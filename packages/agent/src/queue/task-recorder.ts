import type { TaskWorker } from './task-queue.ts';

/** Test support: workers that record what ran where, tasks held until released, and waits on both. */
export class TaskRecorder {
  /** `start:<id>` and `end:<id>` (and whatever a test adds) in the order they happened. */
  readonly events: string[] = [];
  readonly runs: Array<{ taskId: string; consumer: string; startedAt: number }> = [];
  private readonly running = new Map<string, number>();
  private readonly consumersRunning = new Map<string, number>();
  private readonly gates = new Map<string, { promise: Promise<void>; release: () => void }>();
  private readonly waiters = new Set<() => void>();
  /** Most tasks one consumer ran at once, and most runs of one task at once. */
  mostAtOnceOnOneConsumer = 0;
  mostRunsOfOneTaskAtOnce = 0;

  constructor(private readonly safetyTimeoutMs = 15_000) {}

  worker(consumer = 'consumer'): TaskWorker {
    return async (taskId) => {
      const onConsumer = (this.consumersRunning.get(consumer) ?? 0) + 1;
      const ofTask = (this.running.get(taskId) ?? 0) + 1;
      this.consumersRunning.set(consumer, onConsumer);
      this.running.set(taskId, ofTask);
      this.mostAtOnceOnOneConsumer = Math.max(this.mostAtOnceOnOneConsumer, onConsumer);
      this.mostRunsOfOneTaskAtOnce = Math.max(this.mostRunsOfOneTaskAtOnce, ofTask);
      this.runs.push({ taskId, consumer, startedAt: Date.now() });
      this.note(`start:${taskId}`);
      try {
        await this.gates.get(taskId)?.promise;
        // Gives another consumer the chance to overlap, were the queue to allow it.
        await new Promise((resolve) => setTimeout(resolve, 5));
      } finally {
        this.consumersRunning.set(consumer, (this.consumersRunning.get(consumer) ?? 1) - 1);
        this.running.set(taskId, (this.running.get(taskId) ?? 1) - 1);
        this.note(`end:${taskId}`);
      }
    };
  }

  /** The next runs of `taskId` wait until `release(taskId)`. */
  hold(taskId: string): void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.gates.set(taskId, { promise, release });
  }

  release(taskId: string): void {
    this.gates.get(taskId)?.release();
    this.gates.delete(taskId);
  }

  note(event: string): void {
    this.events.push(event);
    for (const check of this.waiters) check();
  }

  starts(): string[] {
    return this.runs.map((run) => run.taskId);
  }

  count(event: string): number {
    return this.events.filter((each) => each === event).length;
  }

  /** Resolves once `condition` holds, checked after every event; rejects after the safety timeout. */
  until(what: string, condition: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`waited ${this.safetyTimeoutMs} ms for ${what}; events: ${this.events.join(' ')}`));
      }, this.safetyTimeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  untilEnded(...taskIds: string[]): Promise<void> {
    return this.until(`${taskIds.join(', ')} to end`, () =>
      taskIds.every((taskId) => this.events.includes(`end:${taskId}`)),
    );
  }

  untilStarted(taskId: string): Promise<void> {
    return this.until(`${taskId} to start`, () => this.events.includes(`start:${taskId}`));
  }
}
