import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { BullMqTaskQueue, type BullMqTaskQueueOptions } from './bullmq-task-queue.ts';
import type { QueuedTask } from './task-queue.ts';
import { TaskRecorder } from './task-recorder.ts';

const redisUrl = 'redis://127.0.0.1:6379';
/** Short locks, so that losing one takes a second or two instead of a minute and a half. */
const shortLocks = { lockDurationMs: 1_000, stalledIntervalMs: 500 };

function task(id: string): QueuedTask {
  return { id, priority: 'MEDIUM', createdAt: new Date() };
}

describe('the BullMQ task queue', () => {
  const opened: BullMqTaskQueue[] = [];
  const names = new Set<string>();
  const children: ChildProcess[] = [];

  function open(name: string, options: Partial<BullMqTaskQueueOptions> = {}): BullMqTaskQueue {
    const queue = new BullMqTaskQueue({ redisUrl, name, log: () => {}, ...options });
    opened.push(queue);
    names.add(name);
    return queue;
  }

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
    for (const name of names) {
      const cleaner = new Queue(name, { connection: { url: redisUrl } });
      await cleaner.obliterate({ force: true });
      await cleaner.close();
    }
    names.clear();
  });

  it('shares one queue between two instances of the same name, as two desktops do', async () => {
    const name = `task-queue-test-${randomUUID()}`;
    const recorder = new TaskRecorder();
    const producer = open(name);
    await open(name).start(recorder.worker('first desktop'));
    await open(name).start(recorder.worker('second desktop'));
    const ids = Array.from({ length: 20 }, (_, index) => `task-${index}`);
    recorder.hold('task-0');
    for (const id of ids) await producer.enqueue(task(id));
    await recorder.untilStarted('task-1');
    recorder.release('task-0');
    await recorder.untilEnded(...ids);
    expect([...recorder.starts()].sort()).toEqual([...ids].sort());
    expect(new Set(recorder.runs.map((run) => run.consumer)).size).toBe(2);
  });

  it('leaves tasks to the other consumers while paused, the task it ran included when enqueued again', async () => {
    const name = `task-queue-test-${randomUUID()}`;
    const recorder = new TaskRecorder();
    const lost = open(name);
    await lost.start(recorder.worker('lost desktop'));
    recorder.hold('moving');
    await lost.enqueue(task('moving'));
    await recorder.untilStarted('moving');
    // Its desktop stopped answering: the consumer pauses and hands the task back before its run ends.
    await lost.pause();
    await lost.enqueue(task('moving'));
    await open(name).start(recorder.worker('other desktop'));
    recorder.release('moving');
    await recorder.untilEnded('moving');
    await recorder.until('the second run of the task', () => recorder.count('end:moving') === 2);
    await lost.enqueue(task('later'));
    await recorder.untilEnded('later');
    expect(recorder.runs.map(({ taskId, consumer }) => `${taskId} on ${consumer}`)).toEqual([
      'moving on lost desktop',
      'moving on other desktop',
      'later on other desktop',
    ]);
  });

  it('keeps a task that outlives its lock duration on its consumer (the lock is renewed)', async () => {
    const name = `task-queue-test-${randomUUID()}`;
    const recorder = new TaskRecorder();
    await open(name, shortLocks).start(recorder.worker('first'));
    await open(name, shortLocks).start(recorder.worker('second'));
    recorder.hold('long');
    await open(name).enqueue(task('long'));
    await recorder.untilStarted('long');
    // Three lock durations and several stalled checks by the idle consumer.
    await new Promise((resolve) => setTimeout(resolve, 3 * shortLocks.lockDurationMs));
    recorder.release('long');
    await recorder.untilEnded('long');
    expect(recorder.starts()).toEqual(['long']);
  });

  it('runs a task again on another consumer when the process running it dies', async () => {
    const name = `task-queue-test-${randomUUID()}`;
    const fixture = fileURLToPath(new URL('./hanging-consumer.fixture.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fixture,
        redisUrl,
        name,
        `${shortLocks.lockDurationMs}`,
        `${shortLocks.stalledIntervalMs}`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    let output = '';
    const said = (line: string) =>
      new Promise<void>((resolve, reject) => {
        const look = () => {
          if (!output.includes(line)) return;
          child.stdout?.off('data', collect);
          resolve();
        };
        const collect = (chunk: Buffer) => {
          output += chunk.toString();
          look();
        };
        child.stdout?.on('data', collect);
        child.once('exit', (code) =>
          reject(new Error(`the consumer exited (${code}) before saying "${line}"`)),
        );
        look();
      });
    await said('ready');
    await open(name).enqueue(task('interrupted'));
    await said('started interrupted');
    const recorder = new TaskRecorder();
    await open(name, shortLocks).start(recorder.worker('survivor'));
    child.kill('SIGKILL');
    await recorder.untilEnded('interrupted');
    expect(recorder.runs.map((run) => `${run.taskId} on ${run.consumer}`)).toEqual([
      'interrupted on survivor',
    ]);
  });

  it('gives up waiting in close() after its timeout, and another consumer then runs the task', async () => {
    const name = `task-queue-test-${randomUUID()}`;
    const recorder = new TaskRecorder();
    const leaving = open(name, { ...shortLocks, closeTimeoutMs: 300 });
    await leaving.start(recorder.worker('leaving'));
    recorder.hold('unfinished');
    await open(name).enqueue(task('unfinished'));
    await recorder.untilStarted('unfinished');
    await leaving.close();
    expect(recorder.events).toEqual(['start:unfinished']);
    recorder.release('unfinished');
    await open(name, shortLocks).start(recorder.worker('staying'));
    await recorder.until('the second run to end', () => recorder.count('end:unfinished') === 2);
    expect(recorder.runs.map((run) => run.consumer)).toEqual(['leaving', 'staying']);
  });

  it('names REDIS_URL when Redis cannot be reached, instead of waiting forever', async () => {
    const queue = open('unreachable', { redisUrl: 'redis://:secret@127.0.0.1:1', connectTimeoutMs: 500 });
    names.delete('unreachable');
    const enqueueing = queue.enqueue(task('never'));
    await expect(enqueueing).rejects.toThrow(
      /REDIS_URL redis:\/\/:\*\*\*@127\.0\.0\.1:1.*did not answer within 500 ms/,
    );
    await expect(queue.start(async () => {})).rejects.toThrow(/REDIS_URL/);
  });
});
