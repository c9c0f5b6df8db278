import { z } from 'zod';

export const taskStatuses = [
  'PENDING',
  'RUNNING',
  'NEEDS_HELP',
  'NEEDS_REVIEW',
  'COMPLETED',
  'CANCELLED',
  'FAILED',
] as const;
export const taskPriorities = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;

export const taskStatusSchema = z.enum(taskStatuses).describe('Where the task is in its life.');
export const taskPrioritySchema = z.enum(taskPriorities).describe('URGENT tasks run first, then the oldest.');
export const taskControlSchema = z
  .enum(['ASSISTANT', 'USER'])
  .describe('Who drives the desktop: the model, or a person who took over.');
export const taskTypeSchema = z
  .enum(['IMMEDIATE', 'SCHEDULED'])
  .describe('SCHEDULED tasks wait for scheduledFor.');
export const taskCreatorSchema = z.enum(['USER', 'ASSISTANT']).describe('Who created the task.');

export type TaskStatus = z.infer<typeof taskStatusSchema>;
export type TaskPriority = z.infer<typeof taskPrioritySchema>;
export type TaskControl = z.infer<typeof taskControlSchema>;
export type TaskType = z.infer<typeof taskTypeSchema>;
export type TaskCreator = z.infer<typeof taskCreatorSchema>;

/**
 * The one list of finished statuses: a task in one of these never runs again by itself, and takeover,
 * resume and cancel are refused. Every other status is unfinished.
 */
export const finishedTaskStatuses: ReadonlySet<TaskStatus> = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);
export const unfinishedTaskStatuses: ReadonlyArray<TaskStatus> = taskStatuses.filter(
  (status) => !finishedTaskStatuses.has(status),
);
/** Unfinished, but the loop has stopped until a person answers (a message, or resume). */
export const awaitingPersonTaskStatuses: ReadonlySet<TaskStatus> = new Set(['NEEDS_HELP', 'NEEDS_REVIEW']);
/** Where nothing happens until someone acts: finished, or waiting for a person. What a runner waits for. */
export const stoppedTaskStatuses: ReadonlyArray<TaskStatus> = taskStatuses.filter(
  (status) => finishedTaskStatuses.has(status) || awaitingPersonTaskStatuses.has(status),
);

export const textBlockSchema = z.object({ type: z.literal('text'), text: z.string() });
export const imageBlockSchema = z.object({
  type: z.literal('image'),
  source: z.object({
    type: z.literal('base64'),
    media_type: z.enum(['image/png', 'image/jpeg', 'image/webp']),
    data: z.string(),
  }),
});
export const toolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  /** A line a person reads ("Clicked at (512, 300)"); ours, never sent to the model. */
  summary: z.string().optional(),
  /** The tool family of a toolset member call (Claude's computer toolset: "computer"), as the model sent it. */
  toolset_name: z.string().optional(),
});
export const toolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.array(z.discriminatedUnion('type', [textBlockSchema, imageBlockSchema])),
  is_error: z.boolean().optional(),
  /** Echoes the toolset_name of the call it answers; the API requires it on a toolset member's result. */
  toolset_name: z.string().optional(),
  /**
   * Ours, never sent to the model: the desktop actions the call was carried out with, in screen pixels (a
   * replay plays these without a model), and how long carrying it out took.
   */
  actions: z.array(z.record(z.string(), z.unknown())).optional(),
  durationMs: z.number().min(0).optional(),
});

/**
 * The model's reasoning, kept exactly as it came: a provider that signs it (Claude) requires it back
 * unchanged in a tool-use turn. Providers that have no such block never get it.
 */
export const thinkingBlockSchema = z.object({
  type: z.literal('thinking'),
  /** The reasoning as the provider shows it (a summary, or empty where it is hidden). */
  thinking: z.string(),
  /** What the provider checks it by: Claude's signature, OpenAI's encrypted_content. */
  signature: z.string(),
  /** The provider's id of the reasoning item, where it has one (OpenAI). */
  id: z.string().optional(),
});
/** Reasoning the provider encrypted; passed back as it came, shown to nobody. */
export const redactedThinkingBlockSchema = z.object({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

/** The conversation's content blocks as a model gets them: images inline, base64. */
export const contentBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  imageBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
]);

/**
 * A screenshot as the agent stores it: a file of its data directory, named by the SHA-256 of its bytes,
 * served at GET /tasks/:taskId/screenshots/:id. The database keeps this reference, not the image.
 */
export const storedImageBlockSchema = z.object({
  type: z.literal('image'),
  source: z.object({
    type: z.literal('file'),
    media_type: z.enum(['image/png', 'image/jpeg', 'image/webp']),
    id: z.string().regex(/^[0-9a-f]{64}\.(png|jpeg|webp)$/),
  }),
});
export const storedToolResultBlockSchema = toolResultBlockSchema.extend({
  content: z.array(z.union([textBlockSchema, imageBlockSchema, storedImageBlockSchema])),
});

/** The conversation's content blocks as stored and shown by the UI: images may be stored files. */
export const storedContentBlockSchema = z.union([
  textBlockSchema,
  imageBlockSchema,
  storedImageBlockSchema,
  toolUseBlockSchema,
  storedToolResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
]);

export type TextBlock = z.infer<typeof textBlockSchema>;
export type ImageBlock = z.infer<typeof imageBlockSchema>;
export type ToolUseBlock = z.infer<typeof toolUseBlockSchema>;
export type ToolResultBlock = z.infer<typeof toolResultBlockSchema>;
export type ThinkingBlock = z.infer<typeof thinkingBlockSchema>;
export type RedactedThinkingBlock = z.infer<typeof redactedThinkingBlockSchema>;
export type ContentBlock = z.infer<typeof contentBlockSchema>;
export type StoredImageBlock = z.infer<typeof storedImageBlockSchema>;
export type StoredToolResultBlock = z.infer<typeof storedToolResultBlockSchema>;
export type StoredContentBlock = z.infer<typeof storedContentBlockSchema>;

export const messageRoleSchema = z.enum(['user', 'assistant']);
export type MessageRole = z.infer<typeof messageRoleSchema>;

export const usageSchema = z.object({
  inputTokens: z.int().min(0).describe('Input tokens billed at the full rate.'),
  outputTokens: z.int().min(0),
  cacheReadTokens: z.int().min(0).describe('Input tokens read from the prompt cache.'),
  cacheWriteTokens: z.int().min(0).describe('Input tokens written to the prompt cache.'),
});
export type Usage = z.infer<typeof usageSchema>;
/** One model call's tokens, and its dollars from the agent's price table. */
export const stepUsageSchema = usageSchema.extend({
  costUsd: z.number().min(0).describe("US dollars, at the agent's price table."),
});
export type StepUsage = z.infer<typeof stepUsageSchema>;

/**
 * Text that is stored: PostgreSQL refuses a NUL character in text, so one is refused here, naming the
 * field, before anything is written.
 */
export function storedText(schema: z.ZodString = z.string()) {
  return schema.refine((value) => !value.includes('\u0000'), 'expected text without NUL characters');
}

/**
 * The agent's own tools a task may withhold from the model. The computer and set_task_status are always
 * offered: without them the model could neither act nor end the task.
 */
export const optionalAgentTools = ['open_application', 'read_file', 'write_file'] as const;
export const optionalAgentToolSchema = z.enum(optionalAgentTools);
export type OptionalAgentToolName = z.infer<typeof optionalAgentToolSchema>;

/**
 * A task's guard rails: each one reached stops the task (NEEDS_HELP) with the reason in its error. Any left
 * out takes the agent's default (BYTEBOT_MAX_STEPS, BYTEBOT_MAX_TOKENS, BYTEBOT_MAX_COST_USD, BYTEBOT_MAX_MINUTES).
 * `tools` bounds what the model may do rather than how long: all three when left out.
 */
export const taskLimitsSchema = z
  .object({
    maxSteps: z.int().positive().optional().describe('Model calls the task may make (default 100).'),
    maxTokens: z
      .int()
      .positive()
      .optional()
      .describe('Tokens the task may use, input (cached included) and output together (default 2,000,000).'),
    maxCostUsd: z
      .number()
      .positive()
      .optional()
      .describe("US dollars the task may spend on the model, at the agent's price table (default 5)."),
    maxMinutes: z
      .number()
      .positive()
      .optional()
      .describe(
        'Minutes the task may run, fractions allowed; time a person has control is not counted (default 60).',
      ),
    tools: z
      .array(optionalAgentToolSchema)
      .refine((tools) => new Set(tools).size === tools.length, 'expected each tool at most once')
      .optional()
      .describe(
        'The agent tools the model may use beside the computer and set_task_status (default all three); ' +
          'a call of one left out is refused.',
      ),
  })
  .strict()
  .describe('Limits that stop the task for a person to decide; the agent defaults fill the ones left out.');
export type TaskLimits = z.infer<typeof taskLimitsSchema>;
