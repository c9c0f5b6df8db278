import { BullMqTaskQueue } from './bullmq-task-queue.ts';
import { InProcessTaskQueue } from './in-process-task-queue.ts';
import type { TaskQueue } from './task-queue.ts';

export interface CreateTaskQueueOptions {
  /** REDIS_URL: set, the queue lives in Redis and is shared by every agent using it; unset, in this process. */
  redisUrl?: string | undefined;
  /** The BullMQ queue's name; agents sharing a Redis and a name share their tasks. */
  name?: string;
  log?: (line: string) => void;
  /** BullMQ's lock on a running task and its stalled check; see BullMqTaskQueueOptions. */
  lockDurationMs?: number | undefined;
  stalledIntervalMs?: number | undefined;
}

export function createTaskQueue(options: CreateTaskQueueOptions): TaskQueue {
  if (options.redisUrl) {
    return new BullMqTaskQueue({
      redisUrl: options.redisUrl,
      name: options.name,
      log: options.log,
      lockDurationMs: options.lockDurationMs,
      stalledIntervalMs: options.stalledIntervalMs,
    });
  }
  return new InProcessTaskQueue({ log: options.log });
}
