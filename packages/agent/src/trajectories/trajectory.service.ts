import type { BytebotdClient } from '@bytebot/client';
import {
  describeValidationIssues,
  finishedTaskStatuses,
  type ReplayResult,
  replayRequestSchema,
  type StoredContentBlock,
} from '@bytebot/protocol';
import {
  buildSteps,
  type ReplayReport,
  readTrajectoryArchive,
  replayTrajectory,
  type Trajectory,
  TrajectoryFormatError,
  type TrajectoryMessage,
  writeTrajectoryArchive,
} from '@bytebot/trajectory';
import { AgentError } from '../agent-error.ts';
import type { ScreenshotStore } from '../screenshots/screenshot-store.ts';
import type { MessageRepository, Task, TaskRepository } from '../storage/index.ts';
import type { TaskService } from '../tasks/task.service.ts';
import type { TaskEvents } from '../tasks/task-events.ts';

export interface TrajectoryServiceDependencies {
  tasks: TaskRepository;
  messages: MessageRepository;
  screenshots: ScreenshotStore;
  client: BytebotdClient;
  events: TaskEvents;
  service: TaskService;
}

const mediaTypes = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

function image(bytes: Buffer | undefined) {
  if (!bytes) return undefined;
  const mediaType: (typeof mediaTypes)[keyof typeof mediaTypes] =
    bytes[0] === 0x89 ? 'image/png' : bytes[0] === 0xff ? 'image/jpeg' : 'image/webp';
  return { mediaType, base64: bytes.toString('base64') };
}

/** A task's trajectory out as one zip, back in as a task, and played again on the desktop. */
export class TrajectoryService {
  private replaying = false;

  constructor(private readonly dependencies: TrajectoryServiceDependencies) {}

  async export(id: string): Promise<{ task: Task; archive: Uint8Array }> {
    const task = await this.dependencies.service.get(id);
    return { task, archive: writeTrajectoryArchive(await this.trajectory(task)) };
  }

  /** The task as a trajectory: its record, its steps, its conversation and the screenshots they name. */
  private async trajectory(task: Task): Promise<Trajectory> {
    const stored = await this.dependencies.messages.list(task.id);
    const messages: TrajectoryMessage[] = stored.map((message) => ({
      role: message.role,
      content: message.content,
      usage: message.usage ?? null,
      createdAt: message.createdAt.toISOString(),
    }));
    const images = new Map<string, Uint8Array>();
    for (const message of stored) {
      for (const block of message.content) {
        const parts = block.type === 'tool_result' ? block.content : [block];
        for (const part of parts) {
          if (part.type !== 'image' || part.source.type !== 'file') continue;
          const bytes = await this.dependencies.screenshots.read(task.id, part.source.id);
          if (bytes) images.set(`images/${part.source.id}`, bytes);
        }
      }
    }
    return {
      manifest: {
        format: 'bytebot-trajectory',
        version: 1,
        exportedAt: new Date().toISOString(),
        task: {
          id: task.id,
          description: task.description,
          model: task.model,
          status: task.status,
          result: task.result ?? undefined,
          error: task.error,
          createdAt: task.createdAt.toISOString(),
          completedAt: task.completedAt?.toISOString() ?? null,
          steps: task.steps,
          inputTokens: task.inputTokens,
          outputTokens: task.outputTokens,
          cacheReadTokens: task.cacheReadTokens,
          cacheWriteTokens: task.cacheWriteTokens,
          costUsd: task.costUsd,
          runningMs: task.runningMs,
        },
      },
      steps: buildSteps(messages),
      messages,
      images,
    };
  }

  /**
   * A trajectory archive becomes a task of this agent again, finished as it was recorded (an unfinished
   * one as FAILED: it cannot go on here), with its conversation and screenshots, ready to be replayed.
   */
  async import(body: unknown): Promise<Task> {
    if (!(body instanceof Uint8Array) || body.byteLength === 0) {
      throw new AgentError(
        'INVALID_REQUEST',
        'body: expected a trajectory archive (content-type application/zip)',
      );
    }
    let trajectory: Trajectory;
    try {
      trajectory = readTrajectoryArchive(body);
    } catch (error) {
      if (error instanceof TrajectoryFormatError)
        throw new AgentError('INVALID_REQUEST', `body: ${error.message}`);
      throw error;
    }
    const recorded = trajectory.manifest.task;
    const finished = finishedTaskStatuses.has(recorded.status);
    const task = await this.dependencies.tasks.restore({
      description: recorded.description,
      type: 'IMMEDIATE',
      priority: 'MEDIUM',
      createdBy: 'USER',
      model: recorded.model,
      status: finished ? recorded.status : 'FAILED',
      error: finished ? recorded.error : (recorded.error ?? `imported while ${recorded.status}`),
      result: recorded.result ?? null,
      steps: recorded.steps,
      inputTokens: recorded.inputTokens,
      outputTokens: recorded.outputTokens,
      cacheReadTokens: recorded.cacheReadTokens,
      cacheWriteTokens: recorded.cacheWriteTokens,
      costUsd: recorded.costUsd,
      runningMs: recorded.runningMs,
      createdAt: new Date(recorded.createdAt),
      completedAt: recorded.completedAt ? new Date(recorded.completedAt) : new Date(),
    });
    // Names are hashes of the bytes; an image whose bytes were changed gets its true name, and references follow.
    const renamed = new Map<string, string>();
    for (const [path, bytes] of trajectory.images) {
      const name = path.slice('images/'.length);
      const extension = name.slice(name.lastIndexOf('.') + 1) as keyof typeof mediaTypes;
      const saved = await this.dependencies.screenshots.saveBytes(task.id, bytes, mediaTypes[extension]);
      renamed.set(name, saved.source.id);
    }
    const rename = (block: StoredContentBlock): StoredContentBlock => {
      if (block.type === 'image' && block.source.type === 'file') {
        return { ...block, source: { ...block.source, id: renamed.get(block.source.id) ?? block.source.id } };
      }
      if (block.type === 'tool_result')
        return { ...block, content: block.content.map(rename) as typeof block.content };
      return block;
    };
    for (const message of trajectory.messages) {
      await this.dependencies.messages.append(
        task.id,
        message.role,
        message.content.map(rename),
        message.usage ?? undefined,
        new Date(message.createdAt),
      );
    }
    this.dependencies.events.emit('task_created', task);
    return task;
  }

  /**
   * Plays the task's recorded desktop actions on this agent's desktop, without the model. Refused while a
   * task runs there (both would drive the same mouse). With handOff, a divergence becomes a new task for
   * the model, which starts from the screen as the replay left it.
   */
  async replay(id: string, body: unknown): Promise<ReplayResult> {
    const parsed = replayRequestSchema.safeParse(body ?? {});
    if (!parsed.success) {
      const { message, path } = describeValidationIssues(parsed.error.issues, body);
      throw new AgentError('INVALID_REQUEST', message, path);
    }
    const options = parsed.data;
    const task = await this.dependencies.service.get(id);
    const running = await this.dependencies.tasks.listByStatus(['RUNNING']);
    if (running.length > 0 || this.replaying) {
      throw new AgentError('CONFLICT', 'status: the desktop is busy with a running task or another replay');
    }
    this.replaying = true;
    try {
      const report = await replayTrajectory(await this.trajectory(task), this.dependencies.client, {
        ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
      });
      const handedOff =
        report.status === 'diverged' && options.handOff ? await this.handOff(task, report) : undefined;
      return this.describe(report, handedOff);
    } finally {
      this.replaying = false;
    }
  }

  private async handOff(task: Task, report: ReplayReport): Promise<Task> {
    const description =
      `${task.description}\n\n(A replay of an earlier run carried out ${report.replayedSteps} of its ` +
      `${report.totalSteps} steps, then the screen differed from the recording. The desktop is as the replay ` +
      'left it: take a screenshot and finish the task from there.)';
    return this.dependencies.service.create({ description, ...(task.model ? { model: task.model } : {}) });
  }

  private describe(report: ReplayReport, handedOff: Task | undefined): ReplayResult {
    const { divergence, ...rest } = report;
    return {
      ...rest,
      ...(divergence
        ? {
            divergence: {
              step: divergence.step,
              call: divergence.call,
              difference: divergence.difference,
              reason: divergence.reason,
              expected: image(divergence.expected),
              actual: image(divergence.actual),
              differenceImage: image(divergence.differenceImage),
            },
          }
        : {}),
      ...(handedOff ? { handedOffTaskId: handedOff.id } : {}),
    };
  }
}
