import type {
  AgentMessage,
  AgentModel,
  AgentTask,
  CreateTaskInput,
  DesktopList,
  ListTasksQuery,
  LiveView,
  TaskCounts,
  TaskPage,
  TaskWithMessages,
} from '@bytebot/protocol';

// The agent's shapes are the protocol's (agent-api.schema.ts); only the UI server's own are declared here.
export interface UiStatus {
  agent: 'ok' | 'unreachable' | 'unauthorized';
  desktop: 'ok' | 'unavailable' | 'unreachable';
  models: string[];
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Where the browser reads a desktop's thumbnail: the agent's route, through this UI's server. */
export function desktopScreenshotUrl(id: string, width: number): string {
  return `/api/agent/desktops/${encodeURIComponent(id)}/screenshot?width=${width}`;
}

/** The agent's API through the UI's own server, which adds the token. */
async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/agent${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('The Bytebot server cannot be reached.', 0);
  }
  const text = await response.text();
  const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!response.ok) {
    const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message;
    throw new ApiError(message ?? `the agent answered ${response.status}`, response.status);
  }
  return parsed as T;
}

/** The query string of a list request; values left out take the agent's defaults. */
function queryString(parameters: Record<string, string | number | readonly string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined || value === '') continue;
    search.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export const api = {
  listTasks: (query: ListTasksQuery = {}) =>
    call<TaskPage>('GET', `/tasks${queryString(query as Record<string, string | number | undefined>)}`),
  taskCounts: (search?: string) => call<TaskCounts>('GET', `/tasks/counts${queryString({ search })}`),
  getTask: (id: string) => call<TaskWithMessages>('GET', `/tasks/${id}`),
  createTask: (task: CreateTaskInput) => call<AgentTask>('POST', '/tasks', task),
  deleteTask: (id: string) => call<undefined>('DELETE', `/tasks/${id}`),
  sendMessage: (id: string, message: string) =>
    call<AgentMessage>('POST', `/tasks/${id}/messages`, { message }),
  cancel: (id: string) => call<AgentTask>('POST', `/tasks/${id}/cancel`),
  takeOver: (id: string) => call<AgentTask>('POST', `/tasks/${id}/takeover`),
  handBack: (id: string) => call<AgentTask>('POST', `/tasks/${id}/resume`),
  models: () => call<AgentModel[]>('GET', '/tasks/models'),
  desktops: () => call<DesktopList>('GET', '/desktops'),
  /** The websocket path (on the agent) and VNC password of one desktop of the fleet. */
  desktopLiveView: (id: string) => call<LiveView>('GET', `/desktops/${encodeURIComponent(id)}/live-view`),
  status: async (): Promise<UiStatus> => {
    const response = await fetch('/api/status', { cache: 'no-store' });
    return (await response.json()) as UiStatus;
  },
};

/**
 * Retrying a finished task makes a new one with the same description, priority and model: the agent
 * refuses a message to a cancelled task, and a new task leaves the old one's record as it was. Attached
 * files are not sent again (the agent keeps them with the old task only).
 */
export function retryTask(task: AgentTask): Promise<AgentTask> {
  return api.createTask({
    description: task.description,
    priority: task.priority,
    ...(task.model ? { model: task.model } : {}),
  });
}

/** Reads a chosen file as base64 for the task's attachments. */
export function readFileAsBase64(file: File): Promise<string> {
  return new Promise((resolvePromise, rejectPromise) => {
    const reader = new FileReader();
    reader.onerror = () => rejectPromise(reader.error ?? new Error(`could not read ${file.name}`));
    reader.onload = () => {
      const url = String(reader.result);
      resolvePromise(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}
