import type { BytebotdClient } from '@bytebot/client';
import type { DesktopState, TaskControl } from '@bytebot/protocol';
import type { TaskQueue } from '../queue/index.ts';
import type { DesktopRepository, TaskRepository } from '../storage/index.ts';
import type { FleetIdentity } from './fleet-identity.ts';

export interface DesktopHeartbeatOptions {
  desktops: DesktopRepository;
  tasks: TaskRepository;
  client: BytebotdClient;
  queue: TaskQueue;
  identity: FleetIdentity;
  intervalMs: number;
  log: { info(line: string): void; warn(line: string): void };
}

/**
 * This agent's desktop in the fleet's list: registered at start, then written at every heartbeat with what
 * the agent sees (bytebotd's health, the task it runs and who has control). A desktop whose bytebotd does
 * not answer is down, and in a fleet (BullMQ) its agent stops taking tasks until it answers again.
 */
export class DesktopHeartbeat {
  private readonly current = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> = Promise.resolve();
  private beatQueued = false;
  private stopped = false;
  /** After the desktop failed under a task: it stays down until a heartbeat this late finds it healthy. */
  private downUntil = 0;
  private consumerPaused = false;
  private lastWarning: string | undefined;
  private lastState: DesktopState | undefined;

  constructor(private readonly options: DesktopHeartbeatOptions) {}

  get desktopId(): string {
    return this.options.identity.desktopId;
  }

  /** The tasks this desktop runs now. */
  get tasks(): string[] {
    return [...this.current];
  }

  /** Registers the desktop (its first heartbeat), then beats every interval. */
  async start(): Promise<void> {
    const { desktops, identity, log } = this.options;
    const previous = await desktops
      .get(identity.desktopId, 2 * this.options.intervalMs)
      .catch(() => undefined);
    if (previous && !previous.stale && previous.agentId !== identity.agentId && previous.state !== 'down') {
      log.warn(
        `desktop ${identity.desktopId} was driven by agent ${previous.agentId} a moment ago: two agents with one ` +
          'BYTEBOT_DESKTOP_ID would take turns in its row; give each pair its own',
      );
    }
    await this.beat();
    this.schedule();
  }

  /** The loop claimed a task: the desktop is busy from now, not from the next heartbeat. */
  taskStarted(taskId: string): void {
    this.current.add(taskId);
    this.beatSoon();
  }

  taskEnded(taskId: string): void {
    this.current.delete(taskId);
    this.beatSoon();
  }

  /**
   * The task this desktop runs changed: a takeover or a hand-back changes the desktop's state. `control`,
   * when known, spares a heartbeat for the changes that do not (every step updates the task).
   */
  taskChanged(taskId: string, control?: TaskControl): void {
    if (!this.current.has(taskId)) return;
    if (control && (control === 'USER') === (this.lastState === 'taken-over')) return;
    this.beatSoon();
  }

  /**
   * The desktop stopped answering under a task: it is down from now, and (in a fleet) this agent takes no
   * more tasks until a later heartbeat finds bytebotd healthy again.
   */
  async lost(): Promise<void> {
    this.downUntil = Date.now() + this.options.intervalMs;
    await this.pauseConsumer();
    // After a heartbeat under way, which may have seen the desktop healthy a moment before.
    this.beating = this.beating.then(() =>
      this.record('down', null).catch((error: Error) =>
        this.warn(`recording desktop down: ${error.message}`),
      ),
    );
    await this.beating;
  }

  /** Stops beating and lists the desktop as down: its agent is going away. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.beating;
    await this.record('down', null).catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.beatSoon();
      this.schedule();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private beatSoon(): void {
    if (this.stopped || this.beatQueued) return;
    this.beatQueued = true;
    this.beating = this.beating.then(() => {
      this.beatQueued = false;
      return this.beat();
    });
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    const { client, tasks, intervalMs } = this.options;
    const health = await client
      .health({ timeoutMs: Math.max(2_000, Math.min(intervalMs, 5_000)) })
      .catch(() => undefined);
    const healthy = health?.status === 'ok' && Date.now() >= this.downUntil;
    const [taskId] = this.current;
    let state: DesktopState = 'down';
    if (healthy) {
      const task = taskId ? await tasks.get(taskId).catch(() => undefined) : undefined;
      state = taskId ? (task?.control === 'USER' ? 'taken-over' : 'busy') : 'idle';
    }
    try {
      await this.record(state, healthy ? (taskId ?? null) : null, health?.screen);
      this.lastWarning = undefined;
    } catch (error) {
      this.warn(
        `the heartbeat of desktop ${this.desktopId} could not be written: ${(error as Error).message}`,
      );
    }
    if (state !== this.lastState) {
      if (state === 'down' || this.lastState === 'down')
        this.options.log.info(`desktop ${this.desktopId} is ${state}`);
      this.lastState = state;
    }
    // Looked at again: the desktop may have failed under a task while this heartbeat waited for bytebotd.
    if (healthy && Date.now() >= this.downUntil) await this.resumeConsumer();
    else await this.pauseConsumer();
  }

  private record(
    state: DesktopState,
    taskId: string | null,
    screen?: { width: number; height: number } | undefined,
  ): Promise<void> {
    const { identity } = this.options;
    return this.options.desktops.record({
      id: identity.desktopId,
      agentId: identity.agentId,
      address: identity.address,
      machine: identity.machine,
      screen: screen ?? null,
      state,
      taskId,
    });
  }

  /** Only a fleet's queue is paused: a single agent has no other desktop to leave its tasks to. */
  private async pauseConsumer(): Promise<void> {
    if (this.options.queue.kind !== 'bullmq' || this.consumerPaused) return;
    this.consumerPaused = true;
    await this.options.queue.pause();
  }

  private async resumeConsumer(): Promise<void> {
    if (!this.consumerPaused) return;
    this.consumerPaused = false;
    await this.options.queue.resume();
  }

  private warn(line: string): void {
    if (line === this.lastWarning) return;
    this.lastWarning = line;
    this.options.log.warn(line);
  }
}
