import { z } from 'zod';
import {
  imageBlockSchema,
  messageRoleSchema,
  redactedThinkingBlockSchema,
  stepUsageSchema,
  storedContentBlockSchema,
  storedText,
  taskControlSchema,
  taskCreatorSchema,
  taskLimitsSchema,
  taskPrioritySchema,
  taskStatusSchema,
  taskTypeSchema,
  textBlockSchema,
} from './task.schema.ts';

/**
 * The agent's HTTP API and its socket.io events, defined once: the agent validates requests with these,
 * its OpenAPI document is generated from them, and the typed client, the UI and the evaluation runner
 * use their types. Shapes marked "original" are those of the original Bytebot agent, kept so its web UI
 * and programs work unchanged.
 */

export const taskIdSchema = z.uuid().describe("The task's id.");

/** A time as it crosses the wire: ISO 8601, UTC. */
const timestamp = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------

const modelNameSchema = storedText(z.string().min(1).max(200));

/**
 * A model as the original UI sends it: one entry of GET /tasks/models, whole. Only `name` is used; the
 * other fields (ours, `tool` and the like, or the original's `contextWindow`) are let through.
 */
export const originalModelSchema = z
  .object({
    provider: z.string().max(200).optional(),
    name: modelNameSchema.describe('The model name, as GET /tasks/models lists it.'),
    title: z.string().max(500).optional(),
    default: z.boolean().optional(),
  })
  .loose()
  .describe('A model as the original UI sends it: an entry of GET /tasks/models (its name is what counts).');
export type OriginalModel = z.infer<typeof originalModelSchema>;

/** `data:<type>;base64,` before the data, as a browser's FileReader.readAsDataURL gives it. */
const dataUrlPrefix = /^data:[^,]{0,300};base64,/;

/**
 * What a new task may carry: the agent refuses more files or a larger one; the total is what fits its 64 MB
 * JSON body once base64 has grown the files by a third. The UI states these before anything is sent.
 */
export const taskFileLimits = {
  maxFiles: 20,
  maxFileBytes: 32 * 1024 * 1024,
  maxTotalBytes: 45 * 1024 * 1024,
} as const;

export const taskFileInputSchema = z
  .object({
    name: storedText(z.string().min(1).max(255)).describe('File name, without folders.'),
    type: storedText(z.string().max(255)).default('application/octet-stream').describe('Media type.'),
    size: z.int().min(0).optional().describe('Size in bytes; checked against the data when given.'),
    base64: z
      .string()
      .transform((text) => text.replace(dataUrlPrefix, ''))
      .pipe(z.base64())
      .describe('File content: base64, or a data URL ("data:text/plain;base64,...") as browsers make it.'),
  })
  .strict();

/** Years a time may name: from the epoch to the last four-digit year (year 0 and 0001 are mistakes, not plans). */
function plausibleTime(value: string): boolean {
  const year = new Date(value).getUTCFullYear();
  return year >= 1970 && year <= 9999;
}

export const createTaskRequestSchema = z
  .object({
    description: storedText(z.string().trim().min(1).max(20_000)).describe('What to do, in plain words.'),
    priority: taskPrioritySchema.default('MEDIUM'),
    type: taskTypeSchema.default('IMMEDIATE'),
    scheduledFor: z.iso
      .datetime({ offset: true })
      .refine(plausibleTime, 'expected a time in the years 1970 to 9999')
      .optional()
      .describe('ISO 8601 time to start at.'),
    createdBy: taskCreatorSchema.default('USER'),
    model: z
      .union([modelNameSchema, originalModelSchema])
      .transform((model) => (typeof model === 'string' ? model : model.name))
      .optional()
      .describe(
        'Model name (or, as the original UI sends it, an entry of GET /tasks/models); the default if omitted.',
      ),
    files: z.array(taskFileInputSchema).max(taskFileLimits.maxFiles).optional(),
    limits: taskLimitsSchema.optional(),
  })
  .strict()
  .refine((request) => request.type !== 'SCHEDULED' || request.scheduledFor !== undefined, {
    message: 'required when type is SCHEDULED: the time to start at',
    path: ['scheduledFor'],
  });
/** A new task as the agent reads it (defaults filled, model a name, file data bare base64). */
export type CreateTaskRequest = z.output<typeof createTaskRequestSchema>;
/** A new task as a client sends it. */
export type CreateTaskInput = z.input<typeof createTaskRequestSchema>;

const page = z.coerce.number().int().min(1).max(100_000).describe('1-based page.');

const taskSearchSchema = storedText(z.string().max(500))
  .transform((text) => text.trim())
  .describe('Only tasks whose description holds this text, in any case (% and _ are plain characters).');

export const taskSortSchema = z
  .enum(['newest', 'priority'])
  .describe('newest: the latest created first; priority: URGENT first, then HIGH ..., each newest first.');
export type TaskSort = z.infer<typeof taskSortSchema>;

export const listTasksQuerySchema = z.object({
  page: page.default(1),
  limit: z.coerce.number().int().min(1).max(200).default(20).describe('Tasks a page.'),
  status: taskStatusSchema.optional().describe('Only tasks in this status.'),
  statuses: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(taskStatusSchema))
    .optional()
    .describe('Only tasks in one of these statuses, comma-separated (the original agent\'s "a,b").'),
  search: taskSearchSchema.optional(),
  sort: taskSortSchema.default('newest'),
});
export type ListTasksQuery = z.input<typeof listTasksQuerySchema>;

/** Counts by status, of the tasks the search finds (all of them without one). */
export const taskCountsQuerySchema = z.object({ search: taskSearchSchema.optional() });
export type TaskCountsQuery = z.input<typeof taskCountsQuerySchema>;

/** Paging of a conversation: all of it when neither is given; up to 1000 a page (the original UI reads 1000). */
export const listMessagesQuerySchema = z.object({
  page: page.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Messages a page (page 1 if no page).'),
});
export type ListMessagesQuery = z.input<typeof listMessagesQuerySchema>;

export const addMessageRequestSchema = z
  .object({
    message: storedText(z.string().trim().min(1).max(20_000)).describe('What the person says to the model.'),
    limits: taskLimitsSchema
      .optional()
      .describe(
        "Replaces the task's limits named here (the others stay) before it resumes: raise the one that stopped it.",
      ),
  })
  .strict();
export type AddMessageRequest = z.input<typeof addMessageRequestSchema>;

export const replayRequestSchema = z
  .object({
    tolerance: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Share of differing pixels (0 to 1) above which a screen has diverged; 0.02 if omitted.'),
    handOff: z
      .boolean()
      .optional()
      .describe('At a divergence, give the task to the model from there (a new task), instead of stopping.'),
  })
  .strict();
export type ReplayRequest = z.input<typeof replayRequestSchema>;

// ---------------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------------

export const agentTaskSchema = z
  .object({
    id: taskIdSchema,
    description: z.string(),
    type: taskTypeSchema,
    status: taskStatusSchema,
    priority: taskPrioritySchema,
    control: taskControlSchema,
    createdBy: taskCreatorSchema,
    scheduledFor: timestamp.nullable(),
    model: z.string().nullable().describe('The model the task runs with; null for the default.'),
    error: z.string().nullable().describe('Why the task failed, or what it needs help with.'),
    result: z
      .object({ summary: z.string().optional() })
      .loose()
      .nullable()
      .describe('What the model said it did, on a completed task.'),
    limits: taskLimitsSchema.nullable().describe('The limits the task runs under, the defaults filled in.'),
    inputTokens: z.int().min(0),
    outputTokens: z.int().min(0),
    cacheReadTokens: z.int().min(0),
    cacheWriteTokens: z.int().min(0),
    steps: z.int().min(0).describe('Model calls so far (summaries not counted).'),
    costUsd: z.number().min(0).describe("US dollars spent on the model so far, at the agent's price table."),
    runningMs: z.number().min(0).describe('Time spent RUNNING, the time a person had control left out.'),
    createdAt: timestamp,
    updatedAt: timestamp,
    executedAt: timestamp.nullable(),
    completedAt: timestamp.nullable(),
    desktopId: z
      .string()
      .nullable()
      .describe('The desktop the task runs or ran on (its latest), once started.'),
  })
  .describe('A task.');
export type AgentTask = z.infer<typeof agentTaskSchema>;

export const agentMessageSchema = z
  .object({
    id: z.uuid(),
    taskId: taskIdSchema,
    sequence: z.int().describe('Order in the conversation.'),
    role: messageRoleSchema,
    content: z
      .array(storedContentBlockSchema)
      .describe('Content blocks; screenshots are stored files, served at /tasks/{id}/screenshots/{file}.'),
    usage: stepUsageSchema.nullable().describe("On the model's messages: that step's tokens and cost."),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe('One message of the conversation, as stored.');
export type AgentMessage = z.infer<typeof agentMessageSchema>;

export const taskWithMessagesSchema = agentTaskSchema
  .extend({ messages: z.array(agentMessageSchema) })
  .describe('A task with its conversation.');
export type TaskWithMessages = z.infer<typeof taskWithMessagesSchema>;

export const taskPageSchema = z
  .object({
    tasks: z.array(agentTaskSchema).describe('Newest first.'),
    total: z.int().min(0).describe('Tasks that match, on all pages.'),
    totalPages: z.int().min(0),
  })
  .describe('One page of tasks.');
export type TaskPage = z.infer<typeof taskPageSchema>;

export const taskCountsSchema = z
  .object({
    counts: z
      .record(taskStatusSchema, z.int().min(0))
      .describe('Tasks in each status, every status named (0 where none).'),
    total: z.int().min(0).describe('All of them.'),
  })
  .describe('How many tasks are in each status (GET /tasks/counts).');
export type TaskCounts = z.infer<typeof taskCountsSchema>;

export const agentModelSchema = z
  .object({
    provider: z.string(),
    name: z.string().describe('What a task names in `model`.'),
    title: z.string(),
    default: z.boolean().describe('The model of tasks that name none.'),
    tool: z.string().describe('The computer tool the model gets (computer_20250124, computer ...).'),
    toolDescription: z.string(),
  })
  .describe('A model a task can use.');
export type AgentModel = z.infer<typeof agentModelSchema>;

const replayImageSchema = z.object({
  mediaType: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  base64: z.string(),
});

export const replayResultSchema = z
  .object({
    status: z.enum(['completed', 'diverged']),
    totalSteps: z.int().min(0),
    replayedSteps: z.int().min(0).describe('Steps whose every call was carried out and matched.'),
    calls: z.array(
      z.object({
        step: z.int(),
        call: z.string(),
        difference: z.number().nullable().describe('Share of pixels that differ from the recording.'),
        ms: z.number(),
      }),
    ),
    skipped: z.array(z.object({ step: z.int(), call: z.string(), reason: z.string() })),
    divergence: z
      .object({
        step: z.int(),
        call: z.string(),
        difference: z.number().nullable(),
        reason: z.string(),
        expected: replayImageSchema.optional(),
        actual: replayImageSchema.optional(),
        differenceImage: replayImageSchema.optional(),
      })
      .optional(),
    handedOffTaskId: taskIdSchema.optional().describe('With handOff: the new task that goes on from there.'),
  })
  .describe('How a replay went.');
export type ReplayResult = z.infer<typeof replayResultSchema>;

// ---------------------------------------------------------------------------------------------------
// The fleet's desktops: GET /desktops
// ---------------------------------------------------------------------------------------------------

/**
 * idle: ready for a task; busy: running one; taken-over: a person drives it; down: no heartbeat for
 * longer than the fleet's timeout, or its agent cannot reach its bytebotd.
 */
export const desktopStateSchema = z.enum(['idle', 'busy', 'taken-over', 'down']);
export type DesktopState = z.infer<typeof desktopStateSchema>;

export const desktopSchema = z
  .object({
    id: z.string().describe("The desktop's id (BYTEBOT_DESKTOP_ID, or one made from its address)."),
    state: desktopStateSchema,
    taskId: taskIdSchema.nullable().describe('The task it runs now, if any.'),
    lastSeenAt: timestamp.describe("Its agent's last heartbeat."),
    agentId: z.string().describe('The agent that drives it.'),
    screen: z
      .object({ width: z.int().min(1), height: z.int().min(1) })
      .nullable()
      .describe('Its screen size, once its bytebotd answered.'),
  })
  .describe('One desktop of the fleet.');
export type Desktop = z.infer<typeof desktopSchema>;

export const desktopListSchema = z
  .object({ desktops: z.array(desktopSchema).describe('Ordered by id.') })
  .describe('Every desktop of the fleet that registered.');
export type DesktopList = z.infer<typeof desktopListSchema>;

/**
 * What a desktop id (BYTEBOT_DESKTOP_ID) and an agent id may be: letters, digits and . _ : -, starting with
 * a letter or digit, so an id is one path segment as it is, in the agent's routes and the UI's.
 */
export const fleetIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export const desktopScreenshotQuerySchema = z.object({
  width: z.coerce
    .number()
    .int()
    .min(16)
    .max(1920)
    .default(320)
    .describe("The thumbnail's width in pixels (16 to 1920), the aspect ratio kept; 320 if omitted."),
});
export type DesktopScreenshotQuery = z.input<typeof desktopScreenshotQuerySchema>;

export const agentHealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  database: z.string(),
  queue: z.string(),
  desktop: z.string().describe("bytebotd's health status, or unreachable."),
  models: z.array(agentModelSchema.pick({ provider: true, name: true, default: true, tool: true })),
});
export type AgentHealth = z.infer<typeof agentHealthSchema>;

// ---------------------------------------------------------------------------------------------------
// The original agent's message views: /tasks/{id}/messages/raw and /messages/processed
// ---------------------------------------------------------------------------------------------------

export const originalRoleSchema = z.enum(['USER', 'ASSISTANT']);
export type OriginalRole = z.infer<typeof originalRoleSchema>;

export const originalToolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z
    .string()
    .describe('The original tool names: computer_click_mouse, computer_type_text ... set_task_status.'),
  input: z.record(z.string(), z.unknown()),
});
export const originalToolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.array(z.discriminatedUnion('type', [textBlockSchema, imageBlockSchema])),
  is_error: z.boolean().optional(),
});

/** Content blocks as the original agent stores them: screenshots inline (`source.data`, base64). */
export const originalContentBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  imageBlockSchema,
  originalToolUseBlockSchema,
  originalToolResultBlockSchema,
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  redactedThinkingBlockSchema,
]);
export type OriginalContentBlock = z.infer<typeof originalContentBlockSchema>;

export const originalMessageSchema = z
  .object({
    id: z.string(),
    taskId: taskIdSchema,
    role: originalRoleSchema,
    content: z.array(originalContentBlockSchema),
    createdAt: timestamp,
    updatedAt: timestamp,
    take_over: z.boolean().optional().describe('Steps a person took during a takeover.'),
  })
  .describe('A message as the original agent answers it.');
export type OriginalMessage = z.infer<typeof originalMessageSchema>;

export const groupedMessagesSchema = z
  .object({
    role: originalRoleSchema,
    messages: z.array(originalMessageSchema),
    take_over: z.boolean(),
  })
  .describe(
    "Back-to-back messages of one role, as the original UI shows them; tool results count as the assistant's.",
  );
export type GroupedMessages = z.infer<typeof groupedMessagesSchema>;

// ---------------------------------------------------------------------------------------------------
// Live events (socket.io)
// ---------------------------------------------------------------------------------------------------

/**
 * What the server emits. task_created and task_deleted go to everyone, task_updated too (task lists stay
 * live), new_message to the task's room (join_task). task_deleted carries the id string, as the original.
 */
export const agentEventSchemas = {
  task_created: agentTaskSchema,
  task_updated: agentTaskSchema,
  task_deleted: taskIdSchema,
  new_message: agentMessageSchema,
} as const;
export type AgentEventName = keyof typeof agentEventSchemas;
export type AgentEventPayload<Name extends AgentEventName> = z.infer<(typeof agentEventSchemas)[Name]>;

export const joinTaskAnswerSchema = z.union([
  z.object({ joined: taskIdSchema }),
  z.object({ error: z.string() }),
]);
export type JoinTaskAnswer = z.infer<typeof joinTaskAnswerSchema>;

/** The server's events, typed for socket.io (`Socket<AgentServerEvents, AgentClientEvents>`). */
export type AgentServerEvents = {
  [Name in AgentEventName]: (payload: AgentEventPayload<Name>) => void;
};

/** What a client emits: join_task / leave_task with a task id; the answer comes back as the acknowledgement. */
export interface AgentClientEvents {
  join_task: (taskId: string, acknowledge: (answer: JoinTaskAnswer) => void) => void;
  leave_task: (taskId: string, acknowledge: (answer: { left: string }) => void) => void;
}
