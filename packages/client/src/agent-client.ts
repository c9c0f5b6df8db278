import { readEnvironment, readToken } from '@bytebot/config';
import {
  type AddMessageRequest,
  type AgentClientEvents,
  type AgentHealth,
  type AgentMessage,
  type AgentModel,
  type AgentServerEvents,
  type AgentTask,
  agentHealthSchema,
  agentMessageSchema,
  agentModelSchema,
  agentTaskSchema,
  type CreateTaskInput,
  type DesktopList,
  type DesktopScreenshotQuery,
  desktopListSchema,
  type GroupedMessages,
  groupedMessagesSchema,
  type ListMessagesQuery,
  type ListTasksQuery,
  type LiveView,
  liveViewSchema,
  type OriginalMessage,
  originalMessageSchema,
  type ReplayRequest,
  type ReplayResult,
  replayResultSchema,
  stoppedTaskStatuses,
  type TaskCounts,
  type TaskCountsQuery,
  type TaskPage,
  type TaskStatus,
  type TaskWithMessages,
  taskCountsSchema,
  taskPageSchema,
  taskWithMessagesSchema,
} from '@bytebot/protocol';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { AgentClientError } from './agent-client-error.ts';
import { type CallOptions, callSignal, sleep } from './call-signal.ts';

export interface AgentClientOptions {
  /** Where the agent listens, e.g. http://127.0.0.1:9991. */
  baseUrl: string;
  /** Bearer token; omit only for an agent started with BYTEBOT_AUTH=off. */
  token?: string | undefined;
  /** How long one call may take before the client gives up; 60 s (a replay or an import may need more). */
  timeoutMs?: number;
}

/** The agent's live events, typed: `on('task_updated', (task) => ...)`, `emitWithAck('join_task', id)`. */
export type AgentEventSocket = Socket<AgentServerEvents, AgentClientEvents>;

export interface WaitOptions {
  signal?: AbortSignal | undefined;
  /** Gives up with AgentClientError TIMEOUT after this long; no limit if omitted. */
  timeoutMs?: number | undefined;
  /** Between two looks at the task; 250 ms. */
  intervalMs?: number;
}

type TaskListQuery = Omit<ListTasksQuery, 'statuses'> & { statuses?: readonly TaskStatus[] | string };

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'bytes'; value: Uint8Array; contentType: string };

function query(parameters: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined) continue;
    search.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

const task = (id: string) => `/tasks/${encodeURIComponent(id)}`;
const desktop = (id: string) => `/desktops/${encodeURIComponent(id)}`;

/**
 * A typed client for the agent's API (the protocol's agent-api shapes): tasks, their conversations, control,
 * trajectories, models, waiting for a task, and the live events. Every answer is checked against its schema;
 * errors come back as AgentClientError with the agent's code. Every call takes `signal` and `timeoutMs`.
 */
export class AgentClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: AgentClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Reads AGENT_URL (or AGENT_PORT) and the token (BYTEBOT_TOKEN, or the token file in BYTEBOT_DATA_DIR). */
  static fromEnvironment(source: Record<string, string | undefined> = process.env): AgentClient {
    const environment = readEnvironment(source);
    return new AgentClient({ baseUrl: environment.agentUrl, token: readToken(environment) });
  }

  createTask(request: CreateTaskInput, options?: CallOptions): Promise<AgentTask> {
    return this.json('POST', '/tasks', agentTaskSchema, { kind: 'json', value: request }, options);
  }

  /** The task with its conversation. */
  getTask(id: string, options?: CallOptions): Promise<TaskWithMessages> {
    return this.json('GET', task(id), taskWithMessagesSchema, { kind: 'none' }, options);
  }

  /** One page of tasks, newest first (or `sort: 'priority'`); `statuses` and `search` narrow it. */
  listTasks(parameters: TaskListQuery = {}, options?: CallOptions): Promise<TaskPage> {
    return this.json('GET', `/tasks${query(parameters)}`, taskPageSchema, { kind: 'none' }, options);
  }

  /** How many tasks are in each status, of those whose description holds `search` (all without one). */
  countTasks(parameters: TaskCountsQuery = {}, options?: CallOptions): Promise<TaskCounts> {
    return this.json('GET', `/tasks/counts${query(parameters)}`, taskCountsSchema, { kind: 'none' }, options);
  }

  /** The conversation as stored (all of it, or one page). */
  messages(id: string, paging: ListMessagesQuery = {}, options?: CallOptions): Promise<AgentMessage[]> {
    const schema = agentMessageSchema.array();
    return this.json('GET', `${task(id)}/messages${query(paging)}`, schema, { kind: 'none' }, options);
  }

  /** The conversation in the original agent's shapes (uppercase roles, screenshots inline, its tool names). */
  originalMessages(
    id: string,
    paging: ListMessagesQuery = {},
    options?: CallOptions,
  ): Promise<OriginalMessage[]> {
    const schema = originalMessageSchema.array();
    return this.json('GET', `${task(id)}/messages/raw${query(paging)}`, schema, { kind: 'none' }, options);
  }

  /** The original UI's chat view: the original shapes grouped by role. */
  groupedMessages(
    id: string,
    paging: ListMessagesQuery = {},
    options?: CallOptions,
  ): Promise<GroupedMessages[]> {
    const schema = groupedMessagesSchema.array();
    return this.json(
      'GET',
      `${task(id)}/messages/processed${query(paging)}`,
      schema,
      { kind: 'none' },
      options,
    );
  }

  /** A person's message; a task waiting for help resumes. `limits` raises the task's limits first. */
  addMessage(id: string, message: string | AddMessageRequest, options?: CallOptions): Promise<AgentMessage> {
    const value = typeof message === 'string' ? { message } : message;
    return this.json('POST', `${task(id)}/messages`, agentMessageSchema, { kind: 'json', value }, options);
  }

  /** A person takes control; the loop pauses before its next action. */
  takeOver(id: string, options?: CallOptions): Promise<AgentTask> {
    return this.json('POST', `${task(id)}/takeover`, agentTaskSchema, { kind: 'none' }, options);
  }

  /** Control back to the model; a task waiting for help or review goes on. */
  resume(id: string, options?: CallOptions): Promise<AgentTask> {
    return this.json('POST', `${task(id)}/resume`, agentTaskSchema, { kind: 'none' }, options);
  }

  cancel(id: string, options?: CallOptions): Promise<AgentTask> {
    return this.json('POST', `${task(id)}/cancel`, agentTaskSchema, { kind: 'none' }, options);
  }

  /** Deletes the task with its messages and screenshots. */
  async deleteTask(id: string, options?: CallOptions): Promise<void> {
    await this.call('DELETE', task(id), { kind: 'none' }, options);
  }

  models(options?: CallOptions): Promise<AgentModel[]> {
    return this.json('GET', '/tasks/models', agentModelSchema.array(), { kind: 'none' }, options);
  }

  /** One of the task's screenshots, by the file name its message gives. */
  async screenshot(
    id: string,
    file: string,
    options?: CallOptions,
  ): Promise<{ data: Buffer; mediaType: string }> {
    const response = await this.call(
      'GET',
      `${task(id)}/screenshots/${encodeURIComponent(file)}`,
      { kind: 'none' },
      options,
    );
    return {
      data: Buffer.from(await this.bytes(response, options)),
      mediaType: response.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  /** The task's trajectory archive (zip). */
  async exportTrajectory(id: string, options?: CallOptions): Promise<Uint8Array> {
    return this.bytes(await this.call('GET', `${task(id)}/trajectory`, { kind: 'none' }, options), options);
  }

  /** Brings a trajectory archive in as a finished task. */
  importTrajectory(archive: Uint8Array, options?: CallOptions): Promise<AgentTask> {
    const body: Body = { kind: 'bytes', value: archive, contentType: 'application/zip' };
    return this.json('POST', '/tasks/import', agentTaskSchema, body, options);
  }

  /** Plays the task's recorded actions on the desktop without a model. */
  replay(id: string, request: ReplayRequest = {}, options?: CallOptions): Promise<ReplayResult> {
    return this.json(
      'POST',
      `${task(id)}/replay`,
      replayResultSchema,
      { kind: 'json', value: request },
      options,
    );
  }

  /** The fleet's desktops: each one's state (idle, busy, taken-over, down), its task and its last heartbeat. */
  desktops(options?: CallOptions): Promise<DesktopList> {
    return this.json('GET', '/desktops', desktopListSchema, { kind: 'none' }, options);
  }

  /**
   * A desktop of the fleet as it is now: a PNG scaled to `width` (320 pixels unless told), from any agent of
   * the fleet. NOT_FOUND for an unknown id, DESKTOP_UNAVAILABLE for one that is down.
   */
  async desktopScreenshot(
    id: string,
    size: DesktopScreenshotQuery = {},
    options?: CallOptions,
  ): Promise<{ data: Buffer; mediaType: string }> {
    const response = await this.call(
      'GET',
      `${desktop(id)}/screenshot${query(size)}`,
      { kind: 'none' },
      options,
    );
    return {
      data: Buffer.from(await this.bytes(response, options)),
      mediaType: response.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  /**
   * What a noVNC page needs to show the desktop through this agent: the websocket's path on the agent
   * (with the token in an Authorization header, or `?token=` where no header can be set) and its VNC password.
   */
  desktopLiveView(id: string, options?: CallOptions): Promise<LiveView> {
    return this.json('GET', `${desktop(id)}/live-view`, liveViewSchema, { kind: 'none' }, options);
  }

  health(options?: CallOptions): Promise<AgentHealth> {
    return this.json('GET', '/health', agentHealthSchema, { kind: 'none' }, options);
  }

  async openApi(options?: CallOptions): Promise<Record<string, unknown>> {
    const response = await this.call('GET', '/openapi.json', { kind: 'none' }, options);
    return (await this.read(response, 'GET /openapi.json', options)) as Record<string, unknown>;
  }

  /**
   * Looks at the task until its status is one of `statuses` (by default the stopped ones: finished, or
   * waiting for a person) and answers it. Rejects with the signal's reason when aborted, and with
   * AgentClientError TIMEOUT after `timeoutMs`.
   */
  async waitForTask(
    id: string,
    statuses: Iterable<TaskStatus> = stoppedTaskStatuses,
    options: WaitOptions = {},
  ): Promise<AgentTask> {
    const wanted = new Set(statuses);
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    for (;;) {
      const current = await this.json(
        'GET',
        task(id),
        agentTaskSchema,
        { kind: 'none' },
        { signal: options.signal },
      );
      if (wanted.has(current.status)) return current;
      if (deadline !== undefined && Date.now() >= deadline) {
        throw new AgentClientError(
          'TIMEOUT',
          `task ${id} did not reach ${[...wanted].join(' or ')} in ${options.timeoutMs} ms; it is ${current.status}`,
          undefined,
        );
      }
      const interval = options.intervalMs ?? 250;
      await sleep(
        deadline === undefined ? interval : Math.min(interval, Math.max(0, deadline - Date.now())),
        options.signal,
      );
    }
  }

  /**
   * The live events over socket.io, connected (it reconnects by itself afterwards). Join a task's room for
   * its new_message events with `await socket.emitWithAck('join_task', id)`; close it with `socket.close()`.
   */
  async events(options: CallOptions = {}): Promise<AgentEventSocket> {
    const socket: AgentEventSocket = io(this.baseUrl, {
      transports: ['websocket'],
      ...(this.token ? { auth: { token: this.token } } : {}),
    });
    const signal = callSignal(options.timeoutMs ?? this.timeoutMs, options.signal);
    try {
      await new Promise<void>((resolvePromise, rejectPromise) => {
        const onAbort = () =>
          rejectPromise(
            options.signal?.aborted
              ? options.signal.reason
              : new AgentClientError(
                  'TIMEOUT',
                  `socket.io at ${this.baseUrl}: not connected in time`,
                  undefined,
                ),
          );
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        socket.once('connect', () => {
          signal.removeEventListener('abort', onAbort);
          resolvePromise();
        });
        socket.once('connect_error', (error) => {
          signal.removeEventListener('abort', onAbort);
          const refused = /unauthorized/i.test(error.message);
          rejectPromise(
            new AgentClientError(
              refused ? 'UNAUTHORIZED' : 'NETWORK',
              `socket.io at ${this.baseUrl}: ${error.message}`,
              refused ? 401 : undefined,
            ),
          );
        });
      });
    } catch (error) {
      socket.close();
      throw error;
    }
    return socket;
  }

  /** A call whose answer is JSON of a known shape. */
  private async json<Schema extends z.ZodType>(
    method: string,
    path: string,
    schema: Schema,
    body: Body,
    options: CallOptions = {},
  ): Promise<z.output<Schema>> {
    const response = await this.call(method, path, body, options);
    const value = await this.read(response, `${method} ${path}`, options);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AgentClientError(
        'BAD_RESPONSE',
        `${method} ${path}: unexpected answer at ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
        response.status,
      );
    }
    return parsed.data;
  }

  private async read(response: Response, what: string, options: CallOptions = {}): Promise<unknown> {
    try {
      return await response.json();
    } catch {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new AgentClientError(
        'BAD_RESPONSE',
        `${what}: answered ${response.status} with a body that is not JSON`,
        response.status,
      );
    }
  }

  private async bytes(response: Response, options: CallOptions = {}): Promise<Uint8Array> {
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new AgentClientError('NETWORK', `reading the answer: ${(error as Error).message}`, undefined);
    }
  }

  /** Sends the request; answers the response when it is a success, throws the agent's error otherwise. */
  private async call(method: string, path: string, body: Body, options: CallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body.kind === 'json') headers['content-type'] = 'application/json';
    if (body.kind === 'bytes') headers['content-type'] = body.contentType;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body.kind === 'json' ? { body: JSON.stringify(body.value) } : {}),
        // A copy in an ArrayBuffer of its own: fetch's types take no view of a shared buffer.
        ...(body.kind === 'bytes' ? { body: new Uint8Array(body.value).buffer } : {}),
        signal: callSignal(timeoutMs, options.signal),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if ((error as Error).name === 'TimeoutError')
        throw new AgentClientError('TIMEOUT', `${method} ${path}: no answer in ${timeoutMs} ms`, undefined);
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new AgentClientError('NETWORK', `${method} ${this.baseUrl}${path}: ${cause}`, undefined);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      throw AgentClientError.fromResponse(response.status, parsed);
    }
    return response;
  }
}
