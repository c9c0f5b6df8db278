import { type OptionalAgentToolName, optionalAgentTools, type TaskLimits } from '@bytebot/protocol';

/** Every limit that stops a task, with a value; the agent's defaults are these. */
export type LimitValues = Required<Omit<TaskLimits, 'tools'>>;
/** What a task runs under: its limits, and the agent tools its model may use. */
export type TaskLimitValues = LimitValues & { tools: OptionalAgentToolName[] };
export type LimitName = keyof LimitValues;

/** The defaults when the environment sets none (README.md, Configuration). */
export const builtInLimits: LimitValues = {
  maxSteps: 100,
  maxTokens: 2_000_000,
  maxCostUsd: 5,
  maxMinutes: 60,
};

/**
 * The task's limits: the ones it carries, the defaults for any it lacks (tasks older than limits carry none);
 * every agent tool when it names none, as before tools could be withheld.
 */
export function effectiveLimits(
  stored: TaskLimits | null | undefined,
  defaults: LimitValues,
): TaskLimitValues {
  return {
    maxSteps: stored?.maxSteps ?? defaults.maxSteps,
    maxTokens: stored?.maxTokens ?? defaults.maxTokens,
    maxCostUsd: stored?.maxCostUsd ?? defaults.maxCostUsd,
    maxMinutes: stored?.maxMinutes ?? defaults.maxMinutes,
    tools: stored?.tools ?? [...optionalAgentTools],
  };
}

/** How far a task has got, as the tasks table counts it. */
export interface TaskConsumption {
  steps: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  runningMs: number;
}

export interface LimitReached {
  limit: LimitName;
  /** For the person reading the task: what stopped it and how to let it go on. */
  reason: string;
}

export function totalTokens(task: TaskConsumption): number {
  return task.inputTokens + task.outputTokens + task.cacheReadTokens + task.cacheWriteTokens;
}

const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function dollars(value: number): string {
  return `$${value.toFixed(value < 0.1 ? 4 : 2)}`;
}

function duration(milliseconds: number): string {
  const minutes = milliseconds / 60_000;
  if (minutes < 1) return `${(milliseconds / 1000).toFixed(1)} seconds`;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} minute${minutes === 1 ? '' : 's'}`;
}

function limitMinutes(minutes: number): string {
  return minutes < 1
    ? `${(minutes * 60).toFixed(1)} seconds`
    : `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

const goOn = (field: LimitName) =>
  `To let it go on, send a message with a higher limit (limits.${field} in POST /tasks/:id/messages).`;

/**
 * The first limit the task has reached, or undefined while it is within all of them. Reaching a limit is
 * enough: a task at 100 of 100 steps makes no 101st call.
 */
export function limitReached(task: TaskConsumption, limits: LimitValues): LimitReached | undefined {
  if (task.steps >= limits.maxSteps) {
    return {
      limit: 'maxSteps',
      reason: `Stopped after ${wholeNumber.format(task.steps)} steps (the task's step limit is ${wholeNumber.format(limits.maxSteps)}). ${goOn('maxSteps')}`,
    };
  }
  const tokens = totalTokens(task);
  if (tokens >= limits.maxTokens) {
    return {
      limit: 'maxTokens',
      reason: `Stopped after using ${wholeNumber.format(tokens)} tokens (the task's token limit is ${wholeNumber.format(limits.maxTokens)}). ${goOn('maxTokens')}`,
    };
  }
  if (task.costUsd >= limits.maxCostUsd) {
    return {
      limit: 'maxCostUsd',
      reason: `Stopped after spending ${dollars(task.costUsd)} on the model (the task's cost limit is ${dollars(limits.maxCostUsd)}). ${goOn('maxCostUsd')}`,
    };
  }
  if (task.runningMs >= limits.maxMinutes * 60_000) {
    return {
      limit: 'maxMinutes',
      reason: `Stopped after running for ${duration(task.runningMs)} (the task's time limit is ${limitMinutes(limits.maxMinutes)}). ${goOn('maxMinutes')}`,
    };
  }
  return undefined;
}
