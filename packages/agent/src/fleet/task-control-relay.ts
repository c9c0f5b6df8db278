import { finishedTaskStatuses } from '@bytebot/protocol';
import { Redis } from 'ioredis';
import type { Task } from '../storage/index.ts';
import type { RunningTasks } from '../tasks/running-tasks.ts';
import type { TaskEvents } from '../tasks/task-events.ts';

/** What a person did to a task through one agent, for the agent whose loop runs it. */
type ControlKind = 'cancel' | 'takeover' | 'hand-back';

interface ControlMessage {
  taskId: string;
  kind: ControlKind;
  /** The agent that sent it: it has acted on it itself. */
  from: string;
}

export interface TaskControlRelayOptions {
  redisUrl: string;
  /** The fleet's name (its queue's): fleets sharing one Redis hear only their own. */
  fleet: string;
  agentId: string;
  events: TaskEvents;
  running: RunningTasks;
  /** Called after a relayed change reached a task this agent runs. */
  onRelayed?: (taskId: string) => void;
  log: { warn(line: string): void };
}

/** The change a task_updated event asks of the loop that runs the task, if any. */
export function controlOf(task: Pick<Task, 'status' | 'control'>): ControlKind | undefined {
  if (task.status === 'CANCELLED') return 'cancel';
  if (finishedTaskStatuses.has(task.status)) return undefined;
  return task.control === 'USER' ? 'takeover' : 'hand-back';
}

/**
 * Cancel and takeover reach the agent whose loop runs the task at once, not at its next look at the
 * database: the agent that took the request publishes it on Redis, and the one running the task aborts
 * its model call or desktop action. Published are the changes to tasks this agent does not run (the
 * API's, since a loop changes only its own task), so a loop's own updates never echo back.
 */
export class TaskControlRelay {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private lastWarning: string | undefined;
  private readonly onUpdated = (task: Task) => {
    const kind = controlOf(task);
    if (kind) this.publish(task.id, kind);
  };
  private readonly onDeleted = (taskId: string) => this.publish(taskId, 'cancel');

  constructor(private readonly options: TaskControlRelayOptions) {
    this.channel = `bytebot:${options.fleet}:task-control`;
    const warn = (error: Error) => this.warn(`task control relay: Redis: ${error.message}`);
    this.publisher = new Redis(options.redisUrl, { lazyConnect: true });
    this.subscriber = new Redis(options.redisUrl, { lazyConnect: true });
    this.publisher.on('error', warn);
    this.subscriber.on('error', warn);
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.channel);
    this.options.events.on('task_updated', this.onUpdated);
    this.options.events.on('task_deleted', this.onDeleted);
  }

  async close(): Promise<void> {
    this.options.events.off('task_updated', this.onUpdated);
    this.options.events.off('task_deleted', this.onDeleted);
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private publish(taskId: string, kind: ControlKind): void {
    // This agent's own loop was told directly by the task service.
    if (this.options.running.has(taskId)) return;
    const message: ControlMessage = { taskId, kind, from: this.options.agentId };
    this.publisher
      .publish(this.channel, JSON.stringify(message))
      .catch((error: Error) => this.warn(`task control relay: publishing: ${error.message}`));
  }

  private receive(text: string): void {
    let message: ControlMessage;
    try {
      message = JSON.parse(text) as ControlMessage;
    } catch {
      return;
    }
    const { running } = this.options;
    if (message.from === this.options.agentId || !running.has(message.taskId)) return;
    if (message.kind === 'cancel') running.abort(message.taskId);
    else if (message.kind === 'takeover') running.interrupt(message.taskId);
    else running.handBack(message.taskId);
    this.options.onRelayed?.(message.taskId);
  }

  private warn(line: string): void {
    if (line === this.lastWarning) return;
    this.lastWarning = line;
    this.options.log.warn(line);
  }
}
