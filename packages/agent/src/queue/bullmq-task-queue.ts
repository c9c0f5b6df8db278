import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { settlesWithin, withDeadline } from './deadline.ts';
import {
  defaultCloseTimeoutMs,
  defaultLog,
  describeError,
  priorityRank,
  type QueuedTask,
  type TaskQueue,
  type TaskWorker,
} from './task-queue.ts';

export interface BullMqTaskQueueOptions {
  redisUrl: string;
  /** Queues with the same name on the same Redis are one queue shared by all their consumers. */
  name?: string | undefined;
  log?: ((line: string) => void) | undefined;
  /**
   * How long a consumer's claim on a running task lasts without renewal. BullMQ renews it every half of
   * this while the task runs, so tasks of any length keep it; only a consumer that died (or whose event
   * loop or Redis link stalled for half of this) loses it, and then another consumer runs the task again.
   */
  lockDurationMs?: number | undefined;
  /** How often each consumer looks for tasks whose lock expired. */
  stalledIntervalMs?: number | undefined;
  /** How long the first connection may take before REDIS_URL is reported unreachable. */
  connectTimeoutMs?: number | undefined;
  /** How long `close()` waits for running tasks; see `defaultCloseTimeoutMs`. */
  closeTimeoutMs?: number | undefined;
}

interface TaskJobData {
  taskId: string;
}

export const defaultQueueName = 'bytebot-tasks';

/**
 * 60 s: long enough that a busy event loop or a short Redis failover does not hand a healthy task to a
 * second desktop; short enough that a task whose process died resumes elsewhere within about 1.5 min
 * (expiry plus up to one stalled check).
 */
const defaultLockDurationMs = 60_000;
const defaultStalledIntervalMs = 30_000;
/**
 * A task may lose its consumer twice (a crash, then a shutdown that outlasted the close timeout) and still
 * run again; the third time it is failed and dropped, so a task that kills its process cannot take down
 * every desktop in turn.
 */
const maxStalledCount = 2;
const defaultConnectTimeoutMs = 5_000;
/** Bounds each enqueue and remove, since commands wait for Redis to come back while it is down. */
const commandTimeoutMs = 10_000;
/** Bounds each step of closing connections once no task runs, so close() ends even with Redis gone. */
const teardownTimeoutMs = 1_000;
const jobName = 'run-task';

/** The URL without its password, for messages. */
function describeRedisUrl(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(not a URL)';
  }
}

/**
 * The queue shared by several desktops (REDIS_URL set). Each task is one BullMQ job: BullMQ's priority
 * (1 = URGENT .. 4 = LOW, first come first served within one), `delay` for scheduled tasks, and a
 * deduplication id equal to the task id, so a task is in the queue at most once while it waits. Job ids
 * are BullMQ's own counter, and finished jobs are deleted, so a task enqueued again later runs again.
 *
 * Within a priority BullMQ keeps the order of enqueueing, not of `createdAt`: the two agree for tasks
 * enqueued when created, but a task enqueued again later (resumed after NEEDS_HELP) queues behind
 * younger tasks of its priority, where the in-process queue would put it ahead of them.
 */
export class BullMqTaskQueue implements TaskQueue {
  readonly kind = 'bullmq';
  private readonly connection: Redis;
  private readonly name: string;
  private readonly redisUrl: string;
  private readonly log: (line: string) => void;
  private readonly lockDurationMs: number;
  private readonly stalledIntervalMs: number;
  private readonly connectTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private readonly workers: Worker<TaskJobData>[] = [];
  /** Runs of this process's consumers, by job id, so close() can wait for them. */
  private readonly running = new Map<string, { taskId: string; run: Promise<void> }>();
  private connecting: Promise<Queue<TaskJobData>> | undefined;
  private paused = false;
  private closing: Promise<void> | undefined;
  private lastWarning: string | undefined;

  constructor(options: BullMqTaskQueueOptions) {
    this.redisUrl = describeRedisUrl(options.redisUrl);
    this.name = options.name ?? defaultQueueName;
    this.log = options.log ?? defaultLog;
    this.lockDurationMs = options.lockDurationMs ?? defaultLockDurationMs;
    this.stalledIntervalMs = options.stalledIntervalMs ?? defaultStalledIntervalMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? defaultConnectTimeoutMs;
    this.closeTimeoutMs = options.closeTimeoutMs ?? defaultCloseTimeoutMs;
    // Shared by the Queue and every Worker (each Worker adds its own blocking connection). BullMQ needs
    // maxRetriesPerRequest: null so a command waits out a reconnect instead of failing the worker's loop.
    this.connection = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
    this.connection.on('error', (error: Error) =>
      this.warn(`Redis at REDIS_URL ${this.redisUrl}: ${error.message}`),
    );
    this.connection.on('ready', () => {
      if (this.lastWarning) this.log(`Redis at REDIS_URL ${this.redisUrl} answers again`);
      this.lastWarning = undefined;
    });
  }

  async enqueue(task: QueuedTask): Promise<void> {
    this.assertOpen();
    const queue = await this.ready();
    const delay = (task.scheduledFor?.getTime() ?? 0) - Date.now();
    const adding = queue.add(
      jobName,
      { taskId: task.id },
      {
        // BullMQ runs priority 0 before all others, so the ranks start at 1.
        priority: priorityRank[task.priority] + 1,
        ...(delay > 0 ? { delay } : {}),
        // While the task's job runs, a new enqueue is kept and becomes a job when that run ends.
        deduplication: { id: task.id, keepLastIfActive: true },
        // A worker that rejects has recorded the failure itself; running the task again is not ours to decide.
        attempts: 1,
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
    await withDeadline(
      adding,
      commandTimeoutMs,
      `enqueueing task ${task.id} on Redis at REDIS_URL ${this.redisUrl}`,
    );
  }

  async remove(taskId: string): Promise<void> {
    const queue = await this.ready();
    const removing = (async () => {
      // A run queued behind the running job (keepLastIfActive) waits in this key; BullMQ has no call to drop it.
      await this.connection.del(queue.toKey(`dn:${taskId}`));
      const jobId = await queue.getDeduplicationJobId(taskId);
      // Answers 0 without removing anything when the job is running (its lock is held).
      if (jobId) await queue.remove(jobId);
    })();
    await withDeadline(
      removing,
      commandTimeoutMs,
      `removing task ${taskId} on Redis at REDIS_URL ${this.redisUrl}`,
    );
  }

  async start(worker: TaskWorker): Promise<void> {
    this.assertOpen();
    await this.ready();
    this.assertOpen();
    const consumer = new Worker<TaskJobData>(this.name, (job) => this.run(job, worker), {
      connection: this.connection,
      concurrency: 1,
      lockDuration: this.lockDurationMs,
      stalledInterval: this.stalledIntervalMs,
      maxStalledCount,
      // A consumer of a paused queue starts when the queue is resumed.
      autorun: !this.paused,
    });
    consumer.on('error', (error) => this.warn(`consumer: ${describeError(error)}`));
    consumer.on('failed', (job, error) => this.log(`task ${job?.data.taskId ?? '?'}: ${error.message}`));
    consumer.on('stalled', (jobId) =>
      this.log(`job ${jobId} lost its consumer (its lock expired); it runs again on the next free consumer`),
    );
    this.workers.push(consumer);
    await withDeadline(
      consumer.waitUntilReady(),
      this.connectTimeoutMs,
      `starting a consumer on REDIS_URL ${this.redisUrl}`,
    );
  }

  async pause(): Promise<void> {
    this.paused = true;
    // Without waiting for the running task: it goes on, its lock still renewed.
    await Promise.all(this.workers.map((consumer) => consumer.pause(true)));
  }

  async resume(): Promise<void> {
    if (this.closing) return;
    this.paused = false;
    // BullMQ's resume also starts a consumer made while the queue was paused (autorun off).
    await Promise.all(this.workers.map((consumer) => consumer.resume()));
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const queue = await this.connecting?.catch(() => undefined);
    // Paused consumers take no more jobs; the jobs they run go on, and their locks are still renewed.
    await Promise.all(this.workers.map((consumer) => consumer.pause(true)));
    const finished = await settlesWithin(this.whenIdle(), this.closeTimeoutMs);
    if (!finished) {
      const taskIds = [...this.running.values()].map((entry) => entry.taskId).join(', ');
      this.log(
        `closed after ${this.closeTimeoutMs} ms with tasks still running: ${taskIds}; another consumer runs ` +
          `them again once their lock expires (${this.lockDurationMs} ms)`,
      );
    }
    // Forcing stops the lock renewal of tasks that outlasted the timeout, which hands them to another consumer.
    const consumersClosing = Promise.all(this.workers.map((consumer) => consumer.close(!finished)));
    await settlesWithin(consumersClosing, teardownTimeoutMs);
    if (queue) await settlesWithin(queue.close(), teardownTimeoutMs);
    if (this.connection.status === 'ready') await settlesWithin(this.connection.quit(), teardownTimeoutMs);
    this.connection.disconnect();
  }

  private async run(job: Job<TaskJobData>, worker: TaskWorker): Promise<void> {
    const jobId = job.id ?? '';
    const run = worker(job.data.taskId);
    this.running.set(jobId, { taskId: job.data.taskId, run });
    try {
      await run;
    } finally {
      this.running.delete(jobId);
    }
  }

  private async whenIdle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.allSettled([...this.running.values()].map((entry) => entry.run));
    }
  }

  private ready(): Promise<Queue<TaskJobData>> {
    this.connecting ??= this.connect();
    return this.connecting;
  }

  /** Connects once; an unreachable Redis fails every call with the same error instead of retrying forever. */
  private async connect(): Promise<Queue<TaskJobData>> {
    let lastError: Error | undefined;
    const remember = (error: Error) => {
      lastError = error;
    };
    let resolveReady = () => {};
    const ready = new Promise<void>((resolve) => {
      resolveReady = resolve;
    });
    this.connection.on('error', remember);
    this.connection.once('ready', resolveReady);
    // A refused first attempt rejects this, while ioredis goes on retrying: 'ready' or the timeout decides.
    this.connection.connect().catch(() => {});
    const connected = await settlesWithin(ready, this.connectTimeoutMs);
    this.connection.off('error', remember);
    this.connection.off('ready', resolveReady);
    if (!connected) {
      this.connection.disconnect();
      const reason = lastError ? ` (${lastError.message})` : '';
      throw new Error(
        `Redis at REDIS_URL ${this.redisUrl} did not answer within ${this.connectTimeoutMs} ms${reason}: ` +
          'start Redis there, or unset REDIS_URL to use the in-process queue',
      );
    }
    const queue = new Queue<TaskJobData>(this.name, { connection: this.connection });
    queue.on('error', (error) => this.warn(`queue: ${describeError(error)}`));
    await withDeadline(
      queue.waitUntilReady(),
      this.connectTimeoutMs,
      `opening the queue on REDIS_URL ${this.redisUrl}`,
    );
    return queue;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('the task queue is closed');
  }

  /** Logs a warning unless it repeats the previous one: a Redis outage reports each retry. */
  private warn(line: string): void {
    if (line === this.lastWarning) return;
    this.lastWarning = line;
    this.log(line);
  }
}
