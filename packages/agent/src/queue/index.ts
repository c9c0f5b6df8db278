export { BullMqTaskQueue, type BullMqTaskQueueOptions, defaultQueueName } from './bullmq-task-queue.ts';
export { type CreateTaskQueueOptions, createTaskQueue } from './create-task-queue.ts';
export { InProcessTaskQueue, type InProcessTaskQueueOptions } from './in-process-task-queue.ts';
export { defaultCloseTimeoutMs, type QueuedTask, type TaskQueue, type TaskWorker } from './task-queue.ts';
