import type {
  DesktopState,
  MessageRole,
  StepUsage,
  StoredContentBlock,
  TaskControl,
  TaskCreator,
  TaskLimits,
  TaskPriority,
  TaskStatus,
  TaskType,
} from '@bytebot/protocol';
import {
  type AnyPgColumn,
  bigint,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

// The columns' types are the API's (protocol); the API's shapes are checked against these rows in api/task-body.ts.
export type { StepUsage, TaskCreator, TaskType };

/**
 * node-postgres reads bytea as a Buffer but PGlite as a plain Uint8Array; callers get a Buffer from both.
 */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) =>
    Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    description: text('description').notNull(),
    type: text('type').$type<TaskType>().notNull(),
    status: text('status').$type<TaskStatus>().notNull(),
    priority: text('priority').$type<TaskPriority>().notNull(),
    control: text('control').$type<TaskControl>().notNull(),
    createdBy: text('created_by').$type<TaskCreator>().notNull(),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    model: text('model'),
    error: text('error'),
    result: jsonb('result'),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    cacheReadTokens: integer('cache_read_tokens').notNull().default(0),
    cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
    /** The limits the task runs under (the agent's defaults filled in at creation); null on older tasks. */
    limits: jsonb('limits').$type<TaskLimits>(),
    /** Model calls of the loop so far (summaries not counted). */
    steps: integer('steps').notNull().default(0),
    /** What the model calls cost so far, at the agent's price table. */
    costUsd: numeric('cost_usd', { precision: 14, scale: 6, mode: 'number' }).notNull().default(0),
    /** Time spent RUNNING so far, the time a person had control left out. */
    runningMs: bigint('running_ms', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    executedAt: timestamp('executed_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** The desktop the task runs or last ran on (desktops.id); not a foreign key, a desktop row may be gone. */
    desktopId: text('desktop_id'),
  },
  (table) => [
    // The task list is newest first, filtered by status or not; recovery at start reads by status, oldest first.
    index('tasks_created_at_index').on(table.createdAt),
    index('tasks_status_created_at_index').on(table.status, table.createdAt),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    // Timestamps can tie within a transaction; an identity column gives the conversation a strict order.
    sequence: bigint('sequence', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    role: text('role').$type<MessageRole>().notNull(),
    content: jsonb('content').$type<StoredContentBlock[]>().notNull(),
    /** On an assistant message: what that step cost (tokens and dollars). */
    usage: jsonb('usage').$type<StepUsage>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('messages_task_id_sequence_index').on(table.taskId, table.sequence)],
);

export const summaries = pgTable(
  'summaries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => summaries.id, { onDelete: 'set null' }),
    /** The sequence of the last message this summary stands for; later messages follow it verbatim. */
    coversUntilSequence: bigint('covers_until_sequence', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index('summaries_task_id_covers_until_sequence_index').on(table.taskId, table.coversUntilSequence),
  ],
);

export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').notNull(),
    size: integer('size').notNull(),
    data: bytea('data'),
    /** Where the file was written on the desktop, once it was. */
    path: text('path'),
    createdAt: createdAt(),
  },
  (table) => [index('files_task_id_index').on(table.taskId)],
);

/**
 * Screenshots in the shared PostgreSQL (DATABASE_URL set), so that every agent of a fleet serves every
 * task's screenshots; named as the files of the embedded mode are, by the SHA-256 of their bytes.
 */
export const screenshots = pgTable(
  'screenshots',
  {
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    mediaType: text('media_type').notNull(),
    data: bytea('data').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.taskId, table.id] })],
);

/**
 * The fleet's desktops, one row each, written by the agent that drives it at every heartbeat. A row whose
 * heartbeat is too old reads as down, whatever its state says: its agent is gone.
 */
export const desktops = pgTable('desktops', {
  id: text('id').primaryKey(),
  agentId: text('agent_id').notNull(),
  /** bytebotd's URL as agents reach it; kept for operators, never in the public list. */
  address: text('address').notNull(),
  /**
   * The host name of the machine its agent runs on: a loopback address is that machine's only, and an agent
   * elsewhere must not take it for its own (null in rows written before it was kept).
   */
  machine: text('machine'),
  screenWidth: integer('screen_width'),
  screenHeight: integer('screen_height'),
  state: text('state').$type<DesktopState>().notNull(),
  taskId: uuid('task_id'),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
});
