import type { AgentMessage, AgentTask, CreateTaskInput, TaskPage, TaskWithMessages } from '@bytebot/protocol';

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
  listTasks: (limit = 30) => call<TaskPage>('GET', `/tasks?limit=${limit}`),
  getTask: (id: string) => call<TaskWithMessages>('GET', `/tasks/${id}`),
  createTask: (task: CreateTaskInput) => call<AgentTask>('POST', '/tasks', task),
  sendMessage: (id: string, message: string) =>
    call<AgentMessage>('POST', `/tasks/${id}/messages`, { message }),
  cancel: (id: string) => call<AgentTask>('POST', `/tasks/${id}/cancel`),
  takeOver: (id: string) => call<AgentTask>('POST', `/tasks/${id}/takeover`),
  handBack: (id: string) => call<AgentTask>('POST', `/tasks/${id}/resume`),
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
