import { randomUUID } from 'node:crypto';
import type { TaskPriority } from '@bytebot/protocol';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createTaskQueue } from './create-task-queue.ts';
import type { QueuedTask, TaskQueue } from './task-queue.ts';
import { TaskRecorder } from './task-recorder.ts';

const redisUrl = 'redis://127.0.0.1:6379';

const implementations = [
  { kind: 'in-process', redisUrl: undefined },
  { kind: 'bullmq', redisUrl },
] as const;

let createdAt = Date.parse('2025-01-01T00:00:00Z');

/** A task created one second after the previous one. */
function task(id: string, priority: TaskPriority = 'MEDIUM', scheduledFor?: Date): QueuedTask {
  createdAt += 1_000;
  return { id, priority, createdAt: new Date(createdAt), scheduledFor: scheduledFor ?? null };
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

describe.each(implementations)('the $kind task queue', ({ kind, redisUrl }) => {
  const opened: TaskQueue[] = [];
  const names: string[] = [];
  const logged: string[] = [];

  /** Queues opened with the same `name` share their tasks (for BullMQ; in-process queues never do). */
  function open(name = `task-queue-test-${randomUUID()}`): TaskQueue {
    const queue = createTaskQueue({ redisUrl, name, log: (line) => logged.push(line) });
    opened.push(queue);
    names.push(name);
    return queue;
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
    for (const name of names.splice(0)) {
      if (!redisUrl) continue;
      const cleaner = new Queue(name, { connection: { url: redisUrl } });
      await cleaner.obliterate({ force: true });
      await cleaner.close();
    }
    logged.length = 0;
  });

  /** One consumer busy with a held task, so that what is enqueued next waits. */
  async function busyQueue(recorder: TaskRecorder): Promise<TaskQueue> {
    const queue = open();
    recorder.hold('blocker');
    await queue.start(recorder.worker());
    await queue.enqueue(task('blocker'));
    await recorder.untilStarted('blocker');
    return queue;
  }

  it('has the kind it names', () => {
    expect(open().kind).toBe(kind);
  });

  it('runs URGENT, then HIGH, MEDIUM and LOW', async () => {
    const recorder = new TaskRecorder();
    const queue = await busyQueue(recorder);
    for (const priority of ['LOW', 'MEDIUM', 'URGENT', 'HIGH'] as const) {
      await queue.enqueue(task(priority.toLowerCase(), priority));
    }
    recorder.release('blocker');
    await recorder.untilEnded('low', 'medium', 'urgent', 'high');
    expect(recorder.starts()).toEqual(['blocker', 'urgent', 'high', 'medium', 'low']);
  });

  it('runs the oldest task of a priority first', async () => {
    const recorder = new TaskRecorder();
    const queue = await busyQueue(recorder);
    await queue.enqueue(task('high-oldest', 'HIGH'));
    await queue.enqueue(task('low', 'LOW'));
    await queue.enqueue(task('high-middle', 'HIGH'));
    await queue.enqueue(task('medium', 'MEDIUM'));
    await queue.enqueue(task('high-youngest', 'HIGH'));
    recorder.release('blocker');
    await recorder.untilEnded('high-oldest', 'high-middle', 'high-youngest', 'medium', 'low');
    expect(recorder.starts()).toEqual([
      'blocker',
      'high-oldest',
      'high-middle',
      'high-youngest',
      'medium',
      'low',
    ]);
  });

  // BullMQ orders a priority by enqueueing (see BullMqTaskQueue), so only the in-process queue passes this.
  it.skipIf(kind === 'bullmq')(
    'orders a priority by createdAt when tasks are enqueued out of that order',
    async () => {
      const recorder = new TaskRecorder();
      const queue = await busyQueue(recorder);
      const older = task('older', 'HIGH');
      const younger = task('younger', 'HIGH');
      await queue.enqueue(younger);
      await queue.enqueue(older);
      recorder.release('blocker');
      await recorder.untilEnded('older', 'younger');
      expect(recorder.starts()).toEqual(['blocker', 'older', 'younger']);
    },
  );

  it('keeps a scheduled task back until its time, and runs it then', async () => {
    const recorder = new TaskRecorder();
    const queue = open();
    await queue.start(recorder.worker());
    const scheduledFor = new Date(Date.now() + 1_000);
    await queue.enqueue(task('scheduled', 'URGENT', scheduledFor));
    await queue.enqueue(task('now', 'LOW'));
    await queue.enqueue(task('past', 'LOW', new Date(Date.now() - 60_000)));
    await recorder.untilEnded('scheduled');
    expect(recorder.starts()).toEqual(['now', 'past', 'scheduled']);
    const started = recorder.runs.find((run) => run.taskId === 'scheduled')?.startedAt ?? 0;
    expect(started).toBeGreaterThanOrEqual(scheduledFor.getTime());
  });

  it('puts a scheduled task whose time came in its place by priority', async () => {
    const recorder = new TaskRecorder();
    const queue = await busyQueue(recorder);
    const scheduledFor = new Date(Date.now() + 500);
    await queue.enqueue(task('low', 'LOW'));
    await queue.enqueue(task('scheduled-urgent', 'URGENT', scheduledFor));
    await queue.enqueue(task('medium', 'MEDIUM'));
    await sleep(scheduledFor.getTime() - Date.now() + 100);
    recorder.release('blocker');
    await recorder.untilEnded('low', 'scheduled-urgent', 'medium');
    expect(recorder.starts()).toEqual(['blocker', 'scheduled-urgent', 'medium', 'low']);
  });

  it('runs one task at a time on a consumer', async () => {
    const recorder = new TaskRecorder();
    const queue = open();
    await queue.start(recorder.worker());
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const id of ids) await queue.enqueue(task(id));
    await recorder.untilEnded(...ids);
    expect(recorder.starts()).toEqual(ids);
    expect(recorder.mostAtOnceOnOneConsumer).toBe(1);
  });

  it('shares 20 tasks between two consumers, each task run exactly once', async () => {
    const recorder = new TaskRecorder();
    const queue = open();
    await queue.start(recorder.worker('first'));
    await queue.start(recorder.worker('second'));
    const ids = Array.from({ length: 20 }, (_, index) => `task-${index}`);
    // The first task waits until the second one started, which only the other consumer can do.
    recorder.hold('task-0');
    for (const id of ids) await queue.enqueue(task(id));
    await recorder.untilStarted('task-1');
    recorder.release('task-0');
    await recorder.untilEnded(...ids);
    expect([...recorder.starts()].sort()).toEqual([...ids].sort());
    expect(new Set(recorder.runs.map((run) => run.consumer))).toEqual(new Set(['first', 'second']));
    expect(recorder.mostAtOnceOnOneConsumer).toBe(1);
  });

  it('starts nothing while paused, finishes the task it runs, and goes on when resumed', async () => {
    const recorder = new TaskRecorder();
    const queue = open();
    await queue.pause();
    // A consumer started while paused waits too.
    await queue.start(recorder.worker());
    await queue.enqueue(task('first'));
    await sleep(300);
    expect(recorder.starts()).toEqual([]);
    recorder.hold('first');
    await queue.resume();
    await recorder.untilStarted('first');
    await queue.pause();
    await queue.enqueue(task('second'));
    recorder.release('first');
    await recorder.untilEnded('first');
    await sleep(300);
    expect(recorder.starts()).toEqual(['first']);
    await queue.resume();
    await recorder.untilEnded('second');
    expect(recorder.starts()).toEqual(['first', 'second']);
  });

  it('never runs a waiting task that was removed; remove() leaves running and unknown tasks alone', async () => {
    const recorder = new TaskRecorder();
    const queue = await busyQueue(recorder);
    await queue.enqueue(task('removed'));
    await queue.enqueue(task('kept'));
    await queue.remove('removed');
    await queue.remove('blocker');
    await queue.remove('unknown');
    recorder.release('blocker');
    // 'removed' was ahead of 'kept', so once 'kept' ended it had its chance.
    await recorder.untilEnded('blocker', 'kept');
    expect(recorder.starts()).toEqual(['blocker', 'kept']);
  });

  it('never runs a scheduled task that was removed', async () => {
    const recorder = new TaskRecorder();
    const queue = open();
    await queue.start(recorder.worker());
    await queue.enqueue(task('removed', 'URGENT', new Date(Date.now() + 300)));
    await queue.enqueue(task('marker', 'LOW', new Date(Date.now() + 600)));
    await queue.remove('removed');
    await recorder.untilEnded('marker');
    expect(recorder.starts()).toEqual(['marker']);
  });

  it('runs a task again when it is enqueued again after it finished', async () => {
    const recorder = new TaskRecorder();
    const queue = open();
    await queue.start(recorder.worker());
    await queue.enqueue(task('again'));
    await recorder.untilEnded('again');
    await queue.enqueue(task('again'));
    await recorder.until('the second run to end', () => recorder.count('end:again') === 2);
    expect(recorder.starts()).toEqual(['again', 'again']);
  });

  it('runs a task enqueued several times while it waits once', async () => {
    const recorder = new TaskRecorder();
    const queue = await busyQueue(recorder);
    await queue.enqueue(task('twice'));
    await queue.enqueue(task('twice'));
    await queue.enqueue(task('twice', 'URGENT'));
    await queue.enqueue(task('after'));
    recorder.release('blocker');
    await recorder.untilEnded('after');
    expect(recorder.starts()).toEqual(['blocker', 'twice', 'after']);
  });

  it('runs a task enqueued while it runs once more afterwards, never beside itself', async () => {
    const recorder = new TaskRecorder();
    const queue = open();
    await queue.start(recorder.worker('first'));
    await queue.start(recorder.worker('second'));
    recorder.hold('resumed');
    await queue.enqueue(task('resumed'));
    await recorder.untilStarted('resumed');
    await queue.enqueue(task('resumed'));
    await queue.enqueue(task('resumed'));
    // The idle consumer takes this one and had its chance to take 'resumed' too.
    await queue.enqueue(task('other'));
    await recorder.untilEnded('other');
    recorder.release('resumed');
    await recorder.until('the second run to end', () => recorder.count('end:resumed') === 2);
    expect(recorder.count('start:resumed')).toBe(2);
    expect(recorder.mostRunsOfOneTaskAtOnce).toBe(1);
  });

  it('does not run a task again when its worker rejects, and goes on with the next', async () => {
    const recorder = new TaskRecorder();
    const queue = open();
    const recording = recorder.worker();
    await queue.start(async (taskId) => {
      await recording(taskId);
      if (taskId === 'failing') throw new Error('the model gave up');
    });
    // A retry of the URGENT task would come before the LOW one.
    await queue.enqueue(task('failing', 'URGENT'));
    await queue.enqueue(task('next', 'LOW'));
    await recorder.untilEnded('next');
    expect(recorder.starts()).toEqual(['failing', 'next']);
    expect(logged.some((line) => line.includes('the model gave up'))).toBe(true);
  });

  it('waits in close() for the running task, and starts no other', async () => {
    const recorder = new TaskRecorder();
    const queue = await busyQueue(recorder);
    await queue.enqueue(task('waiting'));
    const closed = queue.close().then(() => recorder.note('closed'));
    // Gives a close() that does not wait the time to resolve before the task ends.
    await sleep(100);
    recorder.release('blocker');
    await closed;
    expect(recorder.events).toEqual(['start:blocker', 'end:blocker', 'closed']);
    await expect(queue.enqueue(task('late'))).rejects.toThrow(/closed/);
  });
});
