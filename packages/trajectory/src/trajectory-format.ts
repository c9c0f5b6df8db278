import { storedContentBlockSchema, taskStatusSchema } from '@bytebot/protocol';
import { z } from 'zod';

/** Paths of images inside a trajectory archive: named by their SHA-256, as the agent stores them. */
export const imagePathPattern = /^images\/[0-9a-f]{64}\.(png|jpeg|webp)$/;
const imagePath = z.string().regex(imagePathPattern, 'expected images/<sha256>.png|jpeg|webp');

const usage = z.object({
  inputTokens: z.number().min(0),
  outputTokens: z.number().min(0),
  cacheReadTokens: z.number().min(0),
  cacheWriteTokens: z.number().min(0),
  costUsd: z.number().min(0),
});

/** One tool call of a step: what the model asked, the desktop actions it became, and what came back. */
export const trajectoryCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  summary: z.string().optional(),
  /** Desktop actions in screen pixels; absent for calls that do not touch the desktop. */
  actions: z.array(z.record(z.string(), z.unknown())).optional(),
  durationMs: z.number().min(0).optional(),
  result: z.object({ text: z.string(), isError: z.boolean() }).optional(),
  /** The screenshot the call returned, once the screen had settled. */
  screenshot: imagePath.optional(),
});

/** One model turn: its words, its calls, and the screen before and after. */
export const trajectoryStepSchema = z.object({
  index: z.int().min(1),
  at: z.string(),
  text: z.string(),
  usage: usage.optional(),
  calls: z.array(trajectoryCallSchema),
  screenshotBefore: imagePath.optional(),
  screenshotAfter: imagePath.optional(),
});

export const trajectoryTaskSchema = z.object({
  id: z.string(),
  description: z.string().min(1),
  model: z.string().nullable(),
  status: taskStatusSchema,
  result: z.unknown().optional(),
  error: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  steps: z.int().min(0),
  inputTokens: z.int().min(0),
  outputTokens: z.int().min(0),
  cacheReadTokens: z.int().min(0),
  cacheWriteTokens: z.int().min(0),
  costUsd: z.number().min(0),
  runningMs: z.number().min(0),
});

/** `task.json`: what the archive is, and the task as it ended. */
export const trajectoryManifestSchema = z.object({
  format: z.literal('bytebot-trajectory'),
  version: z.literal(1),
  exportedAt: z.string(),
  task: trajectoryTaskSchema,
});

/** One line of `messages.jsonl`: the stored conversation, for a faithful import. */
export const trajectoryMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.array(storedContentBlockSchema),
  usage: usage.nullable().optional(),
  createdAt: z.string(),
});

export type TrajectoryCall = z.infer<typeof trajectoryCallSchema>;
export type TrajectoryStep = z.infer<typeof trajectoryStepSchema>;
export type TrajectoryTask = z.infer<typeof trajectoryTaskSchema>;
export type TrajectoryManifest = z.infer<typeof trajectoryManifestSchema>;
export type TrajectoryMessage = z.infer<typeof trajectoryMessageSchema>;

/** A whole trajectory in memory: the archive's files read and checked. */
export interface Trajectory {
  manifest: TrajectoryManifest;
  steps: TrajectoryStep[];
  messages: TrajectoryMessage[];
  /** Image bytes by archive path ("images/<sha256>.png"). */
  images: Map<string, Uint8Array>;
}
