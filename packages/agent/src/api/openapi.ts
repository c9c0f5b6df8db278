import {
  addMessageRequestSchema,
  agentEventSchemas,
  agentHealthSchema,
  agentMessageSchema,
  agentModelSchema,
  agentTaskSchema,
  createTaskRequestSchema,
  desktopListSchema,
  desktopScreenshotQuerySchema,
  errorBodySchema,
  groupedMessagesSchema,
  joinTaskAnswerSchema,
  listMessagesQuerySchema,
  listTasksQuerySchema,
  liveViewSchema,
  originalMessageSchema,
  replayRequestSchema,
  replayResultSchema,
  taskCountsQuerySchema,
  taskCountsSchema,
  taskIdSchema,
  taskPageSchema,
  taskWithMessagesSchema,
} from '@bytebot/protocol';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

/** Every shape of the API, from the protocol's schemas; operations refer to them by name. */
const components = {
  Task: jsonSchema(agentTaskSchema, 'output'),
  TaskWithMessages: jsonSchema(taskWithMessagesSchema, 'output'),
  TaskPage: jsonSchema(taskPageSchema, 'output'),
  TaskCounts: jsonSchema(taskCountsSchema, 'output'),
  Message: jsonSchema(agentMessageSchema, 'output'),
  OriginalMessage: jsonSchema(originalMessageSchema, 'output'),
  GroupedMessages: jsonSchema(groupedMessagesSchema, 'output'),
  Model: jsonSchema(agentModelSchema, 'output'),
  ReplayResult: jsonSchema(replayResultSchema, 'output'),
  Health: jsonSchema(agentHealthSchema, 'output'),
  DesktopList: jsonSchema(desktopListSchema, 'output'),
  LiveView: jsonSchema(liveViewSchema, 'output'),
  Error: jsonSchema(errorBodySchema, 'output'),
  CreateTaskRequest: jsonSchema(createTaskRequestSchema, 'input'),
  AddMessageRequest: jsonSchema(addMessageRequestSchema, 'input'),
  ReplayRequest: jsonSchema(replayRequestSchema, 'input'),
};
type ComponentName = keyof typeof components;

const reference = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const body = (name: ComponentName) => ({ required: true, content: json(reference(name)) });
const answer = (description: string, name: ComponentName, list = false) => ({
  description,
  content: json(list ? { type: 'array', items: reference(name) } : reference(name)),
});
const error = (description: string) => ({ description, content: json(reference('Error')) });

const errors = {
  '400': error('Invalid request, naming the field'),
  '401': error('No token, or a wrong one'),
  '404': error('No such task'),
};
const conflict = { '409': error("The task's status does not allow it") };

/** The query parameters of a protocol query schema, each with its JSON Schema and description. */
function queryParameters(schema: z.ZodObject): JsonSchema[] {
  const { properties, required = [] } = jsonSchema(schema, 'input') as {
    properties: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: required.includes(name),
      schema: rest,
      ...(description ? { description } : {}),
    };
  });
}

const taskId = [{ name: 'id', in: 'path', required: true, schema: jsonSchema(taskIdSchema, 'input') }];
const desktopId = [
  { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: "The desktop's id." },
];
/** A desktop's errors: unknown, down, or refusing this agent. */
const desktopErrors = {
  '401': errors['401'],
  '404': error('No such desktop'),
  '502': error("The desktop refused this agent's token (a fleet shares one BYTEBOT_TOKEN)"),
  '503': error('The desktop is down or does not answer; the message names it'),
};

/**
 * The agent's HTTP API, generated from the protocol's schemas: request bodies and query parameters as
 * they are validated, answers as they are typed. The socket.io events are under `x-socket-io`.
 */
export function agentOpenApiDocument(version: string): Record<string, unknown> {
  const messagesParameters = [...taskId, ...queryParameters(listMessagesQuerySchema)];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bytebot agent',
      version,
      description:
        'Tasks, their conversations, and live events over socket.io. Compatible with the original Bytebot ' +
        'agent: its routes and shapes (model as an object, files as data URLs, /messages/raw and ' +
        '/messages/processed, task_deleted with the id) are kept, ours are beside them.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: components },
    security: [{ bearer: [] }],
    'x-socket-io': {
      description:
        'socket.io at /socket.io, the token as auth.token or an Authorization header. Emit join_task / ' +
        'leave_task with a task id to get or stop its new_message events; the answer is the acknowledgement.',
      serverEvents: Object.fromEntries(
        Object.entries(agentEventSchemas).map(([name, schema]) => [name, jsonSchema(schema, 'output')]),
      ),
      clientEvents: {
        join_task: {
          payload: jsonSchema(taskIdSchema, 'input'),
          answer: jsonSchema(joinTaskAnswerSchema, 'output'),
        },
        leave_task: { payload: jsonSchema(taskIdSchema, 'input'), answer: { type: 'object' } },
      },
    },
    paths: {
      '/tasks': {
        post: {
          operationId: 'createTask',
          summary: 'Create a task; it is queued and carried out on the desktop',
          description:
            'limits (maxSteps, maxTokens, maxCostUsd, maxMinutes) bound the task; the agent defaults fill the ' +
            'ones left out, and the task carries them all. Reaching one puts the task in NEEDS_HELP with the ' +
            'reason in error. The task also counts steps, costUsd and runningMs. limits.tools names the agent ' +
            'tools (open_application, read_file, write_file) the model is offered beside the computer and ' +
            'set_task_status, all three if omitted; a call of one left out is refused.',
          requestBody: body('CreateTaskRequest'),
          responses: {
            '201': answer('The task', 'Task'),
            ...errors,
            '413': error('A file is larger than 32 MiB'),
            '429': error('Too many new tasks (BYTEBOT_RATE_LIMIT_TASKS)'),
          },
        },
        get: {
          operationId: 'listTasks',
          summary: 'List tasks, newest first or by priority, filtered by status and a search of descriptions',
          parameters: queryParameters(listTasksQuerySchema),
          responses: { '200': answer('One page of tasks', 'TaskPage'), ...errors },
        },
      },
      '/tasks/counts': {
        get: {
          operationId: 'countTasks',
          summary: 'How many tasks are in each status (of those a search finds)',
          parameters: queryParameters(taskCountsQuerySchema),
          responses: { '200': answer('Counts by status', 'TaskCounts'), ...errors },
        },
      },
      '/tasks/models': {
        get: {
          operationId: 'listModels',
          summary: 'Models a task can use',
          responses: { '200': answer('The models', 'Model', true), ...errors },
        },
      },
      '/models': {
        get: {
          operationId: 'listModelsAgain',
          summary: 'Models a task can use (same as /tasks/models)',
          responses: { '200': answer('The models', 'Model', true), ...errors },
        },
      },
      '/tasks/{id}': {
        get: {
          operationId: 'getTask',
          summary: 'A task with its messages',
          parameters: taskId,
          responses: { '200': answer('The task', 'TaskWithMessages'), ...errors },
        },
        delete: {
          operationId: 'deleteTask',
          summary: 'Delete a task, its messages and screenshots; task_deleted goes out with its id',
          parameters: taskId,
          responses: { '204': { description: 'Deleted' }, ...errors },
        },
      },
      '/tasks/{id}/messages': {
        get: {
          operationId: 'listMessages',
          summary: 'The conversation, in order (all of it without page or limit)',
          parameters: messagesParameters,
          responses: { '200': answer('The messages', 'Message', true), ...errors },
        },
        post: {
          operationId: 'addMessage',
          summary: 'Send a message; a task waiting for help resumes',
          description:
            "limits replaces the task's limits it names before the task resumes. A task stopped at a limit " +
            'that the message does not raise resumes and stops again at once, with the same reason.',
          parameters: taskId,
          requestBody: body('AddMessageRequest'),
          responses: { '201': answer('The message', 'Message'), ...errors, ...conflict },
        },
      },
      '/tasks/{id}/messages/raw': {
        get: {
          operationId: 'listOriginalMessages',
          summary: "The conversation in the original agent's shapes",
          description:
            'Roles USER and ASSISTANT, screenshots inline as source.data (base64), tool calls named as the ' +
            'original names them (computer_click_mouse, computer_type_text ...), one per desktop action.',
          parameters: messagesParameters,
          responses: { '200': answer('The messages', 'OriginalMessage', true), ...errors },
        },
      },
      '/tasks/{id}/messages/processed': {
        get: {
          operationId: 'listGroupedMessages',
          summary:
            "The original UI's chat view: the original shapes, back-to-back messages of a role grouped",
          parameters: messagesParameters,
          responses: { '200': answer('The groups', 'GroupedMessages', true), ...errors },
        },
      },
      '/tasks/{id}/screenshots/{file}': {
        get: {
          operationId: 'getScreenshot',
          summary:
            "One of the task's screenshots, by the name its message gives (its SHA-256); cached for good",
          parameters: [...taskId, { name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The image',
              content: { 'image/png': {}, 'image/jpeg': {}, 'image/webp': {} },
            },
            ...errors,
          },
        },
      },
      '/tasks/{id}/trajectory': {
        get: {
          operationId: 'exportTrajectory',
          summary:
            "Download the task's trajectory: a zip of task.json, steps.jsonl, messages.jsonl and images/",
          parameters: taskId,
          responses: {
            '200': { description: 'The archive', content: { 'application/zip': {} } },
            ...errors,
          },
        },
      },
      '/tasks/import': {
        post: {
          operationId: 'importTrajectory',
          summary:
            'Bring a downloaded trajectory in as a finished task, with its conversation and screenshots',
          requestBody: { required: true, content: { 'application/zip': {} } },
          responses: { '201': answer('The task', 'Task'), ...errors },
        },
      },
      '/tasks/{id}/replay': {
        post: {
          operationId: 'replayTask',
          summary:
            "Play the task's recorded actions on the desktop without a model; stops at the first divergence",
          description:
            'Answers status (completed or diverged), the calls replayed with how much of each screen differed, ' +
            'and at a divergence the step, the reason and the expected, actual and difference images (base64 ' +
            'PNG). With handOff, a divergence becomes a new task for the model (handedOffTaskId). 409 while a ' +
            'task runs on the desktop.',
          parameters: taskId,
          requestBody: { required: false, content: json(reference('ReplayRequest')) },
          responses: {
            '200': answer('The replay report', 'ReplayResult'),
            ...errors,
            '409': error('The desktop is busy'),
          },
        },
      },
      '/tasks/{id}/cancel': {
        post: {
          operationId: 'cancelTask',
          summary: 'Cancel; the loop stops before its next action',
          parameters: taskId,
          responses: { '200': answer('The task', 'Task'), ...errors, ...conflict },
        },
      },
      '/tasks/{id}/takeover': {
        post: {
          operationId: 'takeOverTask',
          summary: 'A person takes control; the loop pauses',
          parameters: taskId,
          responses: { '200': answer('The task', 'Task'), ...errors, ...conflict },
        },
      },
      '/tasks/{id}/resume': {
        post: {
          operationId: 'resumeTask',
          summary: 'Hand control back to the model',
          parameters: taskId,
          responses: { '200': answer('The task', 'Task'), ...errors, ...conflict },
        },
      },
      '/desktops': {
        get: {
          operationId: 'listDesktops',
          summary: "The fleet's desktops, as every agent of it registered them",
          description:
            'Each desktop with its state: idle, busy (its task in taskId), taken-over (a person drives it), or ' +
            'down (its agent cannot reach its bytebotd, or its heartbeat is older than ' +
            'BYTEBOT_DESKTOP_DOWN_AFTER_MS). Any agent of the fleet answers for all of them.',
          responses: {
            '200': answer('The desktops, by id', 'DesktopList'),
            '401': errors['401'],
          },
        },
      },
      '/desktops/{id}/screenshot': {
        get: {
          operationId: 'getDesktopScreenshot',
          summary:
            'A desktop of the fleet as it is now: a PNG thumbnail, scaled by its bytebotd; never cached',
          description:
            'Any agent of the fleet answers for every desktop, reaching its bytebotd at the address its agent ' +
            'registered (BYTEBOT_DESKTOP_URL, or BYTEBOTD_URL) with its own token.',
          parameters: [...desktopId, ...queryParameters(desktopScreenshotQuerySchema)],
          responses: {
            '200': { description: 'The picture (cache-control: no-store)', content: { 'image/png': {} } },
            '400': errors['400'],
            ...desktopErrors,
          },
        },
      },
      '/desktops/{id}/live-view': {
        get: {
          operationId: 'getDesktopLiveView',
          summary: "What a noVNC page needs for the desktop's live view through this agent",
          parameters: desktopId,
          responses: { '200': answer('The websocket path and VNC password', 'LiveView'), ...desktopErrors },
        },
      },
      '/desktops/{id}/websockify': {
        get: {
          operationId: 'desktopWebsockify',
          summary: "A websocket upgrade: the desktop's VNC stream (noVNC's path), piped to its bytebotd",
          description:
            'The token as an Authorization header, or as ?token= where no header can be set (a browser). ' +
            'An upgrade with an Origin other than the UI_ORIGIN list is refused (403). The VNC server asks ' +
            'its own password: GET /desktops/{id}/live-view.',
          parameters: desktopId,
          responses: {
            '101': { description: 'Switching to the websocket' },
            '403': error('Another origin'),
            ...desktopErrors,
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Readiness (no token needed)',
          security: [],
          responses: { '200': answer('Ready', 'Health') },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1' }, '401': errors['401'] },
        },
      },
    },
  };
}
