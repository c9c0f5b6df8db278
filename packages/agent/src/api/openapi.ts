import { createTaskRequestSchema, errorBodySchema } from '@bytebot/protocol';
import { z } from 'zod';
import { addMessageRequest } from '../tasks/task-queries.ts';
import { replayRequestSchema } from '../trajectories/trajectory.service.ts';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'input') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, target: 'openapi-3.0' }) },
});

const errors = {
  '400': { description: 'Invalid request, naming the field', content: json(errorBodySchema, 'output') },
  '401': { description: 'No token, or a wrong one' },
  '404': { description: 'No such task' },
};

const taskId = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];

/** The agent's HTTP API, its request bodies derived from the protocol's schemas. */
export function agentOpenApiDocument(version: string): Record<string, unknown> {
  const ok = (description: string) => ({ '200': { description }, ...errors });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bytebot agent',
      version,
      description: 'Tasks, their conversations, and live events over socket.io.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/tasks': {
        post: {
          summary: 'Create a task; it is queued and carried out on the desktop',
          description:
            'limits (maxSteps, maxTokens, maxCostUsd, maxMinutes) bound the task; the agent defaults fill the ' +
            'ones left out, and the task carries them all. Reaching one puts the task in NEEDS_HELP with the ' +
            'reason in error. The task also counts steps, costUsd and runningMs.',
          requestBody: { required: true, content: json(createTaskRequestSchema) },
          responses: { '201': { description: 'The task' }, ...errors },
        },
        get: {
          summary: 'List tasks, newest first',
          parameters: [
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
            { name: 'status', in: 'query', schema: { type: 'string' } },
            {
              name: 'statuses',
              in: 'query',
              description: 'Comma-separated statuses',
              schema: { type: 'string' },
            },
          ],
          responses: ok('{ tasks, total, totalPages }'),
        },
      },
      '/tasks/models': { get: { summary: 'Models a task can use', responses: ok('The models') } },
      '/models': {
        get: { summary: 'Models a task can use (same as /tasks/models)', responses: ok('The models') },
      },
      '/tasks/{id}': {
        get: { summary: 'A task with its messages', parameters: taskId, responses: ok('The task') },
        delete: {
          summary: 'Delete a task and its messages',
          parameters: taskId,
          responses: { '204': { description: 'Deleted' }, ...errors },
        },
      },
      '/tasks/{id}/messages': {
        get: { summary: 'The conversation, in order', parameters: taskId, responses: ok('The messages') },
        post: {
          summary: 'Send a message; a task waiting for help resumes',
          description:
            "limits replaces the task's limits it names before the task resumes. A task stopped at a limit " +
            'that the message does not raise resumes and stops again at once, with the same reason.',
          parameters: taskId,
          requestBody: { required: true, content: json(addMessageRequest) },
          responses: { '201': { description: 'The message' }, ...errors },
        },
      },
      '/tasks/{id}/screenshots/{file}': {
        get: {
          summary:
            "One of the task's screenshots, by the name its message gives (its SHA-256); cached for good",
          parameters: [...taskId, { name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
          responses: ok('The image'),
        },
      },
      '/tasks/{id}/trajectory': {
        get: {
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
          summary:
            'Bring a downloaded trajectory in as a finished task, with its conversation and screenshots',
          requestBody: { required: true, content: { 'application/zip': {} } },
          responses: { '201': { description: 'The task' }, ...errors },
        },
      },
      '/tasks/{id}/replay': {
        post: {
          summary:
            "Play the task's recorded actions on the desktop without a model; stops at the first divergence",
          description:
            'Answers status (completed or diverged), the calls replayed with how much of each screen differed, ' +
            'and at a divergence the step, the reason and the expected, actual and difference images (base64 ' +
            'PNG). With handOff, a divergence becomes a new task for the model (handedOffTaskId). 409 while a ' +
            'task runs on the desktop.',
          parameters: taskId,
          requestBody: { required: false, content: json(replayRequestSchema) },
          responses: { ...ok('The replay report'), '409': { description: 'The desktop is busy' } },
        },
      },
      '/tasks/{id}/cancel': {
        post: {
          summary: 'Cancel; the loop stops before its next action',
          parameters: taskId,
          responses: ok('The task'),
        },
      },
      '/tasks/{id}/takeover': {
        post: {
          summary: 'A person takes control; the loop pauses',
          parameters: taskId,
          responses: ok('The task'),
        },
      },
      '/tasks/{id}/resume': {
        post: { summary: 'Hand control back to the model', parameters: taskId, responses: ok('The task') },
      },
      '/health': {
        get: {
          summary: 'Readiness (no token needed)',
          security: [],
          responses: { '200': { description: 'Ready' } },
        },
      },
    },
  };
}
