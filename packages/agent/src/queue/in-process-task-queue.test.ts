import { afterEach, describe, expect, it, vi } from 'vitest';
import { InProcessTaskQueue } from './in-process-task-queue.ts';
import { TaskRecorder } from './task-recorder.ts';

describe('the in-process task queue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives up waiting in close() after its timeout, naming the task still running', async () => {
    const logged: string[] = [];
    const queue = new InProcessTaskQueue({ closeTimeoutMs: 100, log: (line) => logged.push(line) });
    const recorder = new TaskRecorder();
    recorder.hold('endless');
    await queue.start(recorder.worker());
    await queue.enqueue({ id: 'endless', priority: 'LOW', createdAt: new Date() });
    await recorder.untilStarted('endless');
    await queue.close();
    expect(logged).toEqual(['closed after 100 ms with tasks still running: endless']);
    recorder.release('endless');
  });

  it('waits for a task scheduled beyond the longest setTimeout (about 24.8 days)', async () => {
    vi.useFakeTimers({ now: Date.parse('2025-01-01T00:00:00Z') });
    const queue = new InProcessTaskQueue();
    const started: string[] = [];
    await queue.start(async (taskId) => {
      started.push(taskId);
    });
    const day = 24 * 60 * 60 * 1000;
    const scheduledFor = new Date(Date.now() + 40 * day);
    await queue.enqueue({ id: 'in-forty-days', priority: 'LOW', createdAt: new Date(), scheduledFor });
    await vi.advanceTimersByTimeAsync(39 * day);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(day);
    expect(started).toEqual(['in-forty-days']);
    await queue.close();
  }, 5_000);
});
