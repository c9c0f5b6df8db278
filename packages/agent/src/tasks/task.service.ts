import {
  addMessageRequestSchema,
  createTaskRequestSchema,
  finishedTaskStatuses,
  type GroupedMessages,
  listMessagesQuerySchema,
  listTasksQuerySchema,
  type OriginalMessage,
  taskIdSchema,
  unfinishedTaskStatuses,
} from '@bytebot/protocol';
import { AgentError } from '../agent-error.ts';
import { builtInLimits, effectiveLimits, type LimitValues } from '../guards/task-limits.ts';
import type { TaskQueue } from '../queue/index.ts';
import { parseRequest } from '../request-input.ts';
import type { ScreenshotStore } from '../screenshots/screenshot-store.ts';
import type { FileRepository, Message, MessageRepository, Task, TaskRepository } from '../storage/index.ts';
import { groupForDisplay, toOriginalMessages } from './original-messages.ts';
import type { RunningTasks } from './running-tasks.ts';
import type { TaskEvents } from './task-events.ts';

/** Largest attachment, in bytes after base64 decoding. */
const maxFileBytes = 32 * 1024 * 1024;
/**
 * How long a cancel waits for the task's loop to stop. It stops as soon as its model request or desktop
 * call is aborted; the bound only keeps a stuck loop from holding the caller.
 */
const cancelWaitMs = 2_000;

export interface TaskServiceDependencies {
  tasks: TaskRepository;
  messages: MessageRepository;
  files: FileRepository;
  queue: TaskQueue;
  events: TaskEvents;
  running: RunningTasks;
  screenshots: ScreenshotStore;
  /** The limits of a task that names none (or not all): the agent's BYTEBOT_MAX_* settings. */
  limitDefaults?: LimitValues;
}

const unfinished = [...unfinishedTaskStatuses];

/** What the HTTP API and the websocket do to tasks; the model loop runs elsewhere (TaskRunner). */
export class TaskService {
  private readonly limitDefaults: LimitValues;

  constructor(private readonly dependencies: TaskServiceDependencies) {
    this.limitDefaults = dependencies.limitDefaults ?? builtInLimits;
  }

  async create(body: unknown): Promise<Task> {
    const request = parseRequest(createTaskRequestSchema, body);
    const decoded = (request.files ?? []).map((file, index) => {
      const data = Buffer.from(file.base64, 'base64');
      if (data.length > maxFileBytes) {
        throw new AgentError(
          'PAYLOAD_TOO_LARGE',
          `files.${index}.base64: ${data.length} bytes, the limit is ${maxFileBytes}`,
          ['files', index, 'base64'],
        );
      }
      if (file.size !== undefined && file.size !== data.length) {
        throw new AgentError(
          'INVALID_REQUEST',
          `files.${index}.size: ${file.size} does not match the ${data.length} bytes sent`,
          ['files', index, 'size'],
        );
      }
      if (file.name.includes('/') || file.name === '.' || file.name === '..') {
        throw new AgentError('INVALID_REQUEST', `files.${index}.name: expected a file name without folders`, [
          'files',
          index,
          'name',
        ]);
      }
      return { name: file.name, type: file.type, data };
    });
    const scheduledFor = request.scheduledFor ? new Date(request.scheduledFor) : null;
    const task = await this.dependencies.tasks.create({
      description: request.description,
      type: scheduledFor ? 'SCHEDULED' : request.type,
      priority: request.priority,
      createdBy: request.createdBy,
      scheduledFor,
      model: request.model ?? null,
      // Stored whole, so the task shows what it runs under and keeps it when the agent's defaults change.
      limits: effectiveLimits(request.limits, this.limitDefaults),
    });
    try {
      for (const file of decoded) {
        await this.dependencies.files.create({
          taskId: task.id,
          name: file.name,
          type: file.type,
          size: file.data.length,
          data: file.data,
        });
      }
    } catch (error) {
      // All or nothing: a task whose files could not be stored is not left behind (it was not queued yet).
      await this.dependencies.tasks.delete(task.id).catch(() => undefined);
      throw error;
    }
    await this.enqueue(task);
    this.dependencies.events.emit('task_created', task);
    return task;
  }

  async list(query: unknown): Promise<{ tasks: Task[]; total: number; totalPages: number }> {
    const { page, limit, status, statuses } = parseRequest(listTasksQuerySchema, query);
    const wanted = statuses ?? (status ? [status] : undefined);
    const { tasks, total } = await this.dependencies.tasks.list({
      page,
      limit,
      ...(wanted ? { statuses: wanted } : {}),
    });
    return { tasks, total, totalPages: Math.ceil(total / limit) };
  }

  async get(id: string): Promise<Task> {
    const taskId = parseRequest(taskIdSchema, id, 'id');
    const task = await this.dependencies.tasks.get(taskId);
    if (!task) throw new AgentError('NOT_FOUND', `id: no task ${taskId}`, ['id']);
    return task;
  }

  async withMessages(id: string): Promise<Task & { messages: Message[] }> {
    const task = await this.get(id);
    return { ...task, messages: await this.dependencies.messages.list(task.id) };
  }

  async messages(id: string, query: unknown): Promise<Message[]> {
    const task = await this.get(id);
    const { page, limit } = parseRequest(listMessagesQuerySchema, query);
    return this.dependencies.messages.list(
      task.id,
      page !== undefined || limit !== undefined ? { page: page ?? 1, limit: limit ?? 50 } : undefined,
    );
  }

  /**
   * The conversation in the original agent's shapes (GET /tasks/:id/messages/raw), paged as /messages: roles
   * USER / ASSISTANT, screenshots inline, tool calls named as the original names them.
   */
  async originalMessages(id: string, query: unknown): Promise<OriginalMessage[]> {
    const task = await this.get(id);
    const { page, limit } = parseRequest(listMessagesQuerySchema, query);
    const { messages } = this.dependencies;
    let shown = await messages.list(task.id);
    let context = shown;
    if (page !== undefined || limit !== undefined) {
      const size = limit ?? 50;
      const number = page ?? 1;
      shown = await messages.list(task.id, { page: number, limit: size });
      // The message after the page holds the results of the page's last calls, which name them.
      context = [...shown, ...(await messages.list(task.id, { page: number * size + 1, limit: 1 }))];
    }
    return toOriginalMessages(shown, context, (file) => this.dependencies.screenshots.read(task.id, file));
  }

  /** The original agent's display view (GET /tasks/:id/messages/processed): its messages grouped by role. */
  async processedMessages(id: string, query: unknown): Promise<GroupedMessages[]> {
    return groupForDisplay(await this.originalMessages(id, query));
  }

  /**
   * A person's message: read by the model at its next step, or it wakes a task that waits for help. Limits
   * sent with it replace the task's ones they name first. A message that does not raise the limit that stopped
   * the task is still stored, and the task, resumed, stops again at once with the same reason.
   */
  async addMessage(id: string, body: unknown): Promise<Message> {
    const task = await this.get(id);
    const { message: text, limits: raised } = parseRequest(addMessageRequestSchema, body);
    if (task.status === 'CANCELLED')
      throw new AgentError('CONFLICT', 'status: the task was cancelled; create a new one');
    const limits = raised ? { ...effectiveLimits(task.limits, this.limitDefaults), ...raised } : undefined;
    if (limits && (task.status === 'PENDING' || task.status === 'RUNNING')) {
      const updated = await this.dependencies.tasks.update(task.id, { limits });
      if (updated) this.dependencies.events.emit('task_updated', updated);
    }
    const message = await this.dependencies.messages.append(task.id, 'user', [{ type: 'text', text }]);
    this.dependencies.events.emit('new_message', message);
    if (task.status !== 'PENDING' && task.status !== 'RUNNING') {
      const reopened = await this.dependencies.tasks.update(
        task.id,
        {
          status: 'PENDING',
          control: 'ASSISTANT',
          error: null,
          completedAt: null,
          ...(limits ? { limits } : {}),
        },
        { onlyIfStatusIn: [task.status] },
      );
      if (reopened) {
        this.dependencies.events.emit('task_updated', reopened);
        await this.enqueue(reopened);
      }
    }
    return message;
  }

  async cancel(id: string): Promise<Task> {
    const task = await this.get(id);
    const cancelled = await this.dependencies.tasks.update(
      task.id,
      { status: 'CANCELLED', control: 'ASSISTANT', completedAt: new Date() },
      { onlyIfStatusIn: unfinished },
    );
    if (!cancelled) throw new AgentError('CONFLICT', `status: the task is already ${task.status}`);
    await this.dependencies.queue.remove(task.id);
    this.dependencies.running.abort(task.id);
    // Answered once the loop has stopped, so that after a cancel nothing more reaches the desktop.
    await this.dependencies.running.stopped(task.id, cancelWaitMs);
    this.dependencies.events.emit('task_updated', cancelled);
    return cancelled;
  }

  /**
   * A person drives the desktop: the action in flight stops (the model is told why), and the loop pauses
   * before its next one until the task is handed back.
   */
  async takeover(id: string): Promise<Task> {
    const task = await this.setControl(id, 'USER');
    this.dependencies.running.interrupt(task.id);
    return task;
  }

  async resume(id: string): Promise<Task> {
    // Before control changes: the loop, seeing it back, must find its actions allowed again.
    this.dependencies.running.handBack(parseRequest(taskIdSchema, id, 'id'));
    const task = await this.setControl(id, 'ASSISTANT');
    if (task.status === 'NEEDS_HELP' || task.status === 'NEEDS_REVIEW') {
      const reopened = await this.dependencies.tasks.update(
        task.id,
        { status: 'PENDING', error: null },
        { onlyIfStatusIn: [task.status] },
      );
      if (reopened) {
        this.dependencies.events.emit('task_updated', reopened);
        await this.enqueue(reopened);
        return reopened;
      }
    }
    return task;
  }

  async delete(id: string): Promise<void> {
    const task = await this.get(id);
    this.dependencies.running.abort(task.id);
    // A loop stopped mid-step may still be storing the step's screenshots: the folder goes once it has returned.
    await this.dependencies.running.stopped(task.id, 10_000);
    await this.dependencies.queue.remove(task.id);
    await this.dependencies.tasks.delete(task.id);
    await this.dependencies.screenshots.removeTask(task.id);
    this.dependencies.events.emit('task_deleted', task.id);
  }

  /** One of the task's stored screenshots, by the name its message refers to. */
  async screenshot(id: string, file: string): Promise<{ data: Buffer; mediaType: string }> {
    const task = await this.get(id);
    const data = await this.dependencies.screenshots.read(task.id, file);
    if (!data)
      throw new AgentError('NOT_FOUND', `file: task ${task.id} has no screenshot "${file}"`, ['file']);
    const extension = file.slice(file.lastIndexOf('.') + 1);
    return { data, mediaType: `image/${extension}` };
  }

  private async setControl(id: string, control: 'USER' | 'ASSISTANT'): Promise<Task> {
    const task = await this.get(id);
    if (finishedTaskStatuses.has(task.status)) {
      throw new AgentError('CONFLICT', `status: the task is already ${task.status}`);
    }
    const updated = await this.dependencies.tasks.update(
      task.id,
      { control },
      { onlyIfStatusIn: unfinished },
    );
    if (!updated) throw new AgentError('CONFLICT', 'status: the task finished meanwhile');
    this.dependencies.events.emit('task_updated', updated);
    return updated;
  }

  private async enqueue(task: Task): Promise<void> {
    await this.dependencies.queue.enqueue({
      id: task.id,
      priority: task.priority,
      createdAt: task.createdAt,
      scheduledFor: task.scheduledFor,
    });
  }
}
