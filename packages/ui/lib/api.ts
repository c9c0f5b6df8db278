import type { StoredContentBlock, TaskPriority, TaskStatus } from '@bytebot/protocol';

export interface TaskView {
  id: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  control: 'ASSISTANT' | 'USER';
  error: string | null;
  result: { summary?: string } | null;
  model: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Dollars spent on the model so far, from the agent's price table; steps are model calls. */
  costUsd?: number;
  steps?: number;
}

export interface MessageView {
  id: string;
  taskId: string;
  role: 'user' | 'assistant';
  sequence: number;
  content: StoredContentBlock[];
  /** On the model's messages: that step's tokens and cost. */
  usage?: { inputTokens: number; outputTokens: number; cacheReadTokens: number; costUsd: number } | null;
  createdAt: string;
}

export interface UiStatus {
  agent: 'ok' | 'unreachable' | 'unauthorized';
  desktop: 'ok' | 'unavailable' | 'unreachable';
  models: string[];
}

export interface NewTask {
  description: string;
  priority: TaskPriority;
  model?: string | undefined;
  files?: Array<{ name: string; type: string; size: number; base64: string }>;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
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

export const api = {
  listTasks: (limit = 30) => call<{ tasks: TaskView[]; total: number }>('GET', `/tasks?limit=${limit}`),
  getTask: (id: string) => call<TaskView & { messages: MessageView[] }>('GET', `/tasks/${id}`),
  createTask: (task: NewTask) => call<TaskView>('POST', '/tasks', task),
  sendMessage: (id: string, message: string) =>
    call<MessageView>('POST', `/tasks/${id}/messages`, { message }),
  cancel: (id: string) => call<TaskView>('POST', `/tasks/${id}/cancel`),
  takeOver: (id: string) => call<TaskView>('POST', `/tasks/${id}/takeover`),
  handBack: (id: string) => call<TaskView>('POST', `/tasks/${id}/resume`),
  status: async (): Promise<UiStatus> => {
    const response = await fetch('/api/status', { cache: 'no-store' });
    return (await response.json()) as UiStatus;
  },
};

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
