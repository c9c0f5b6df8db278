import type { AgentMessage, AgentTask } from '@bytebot/protocol';
import type { Message, Task } from '../storage/index.ts';

const time = (value: Date) => value.toISOString();
const timeOrNull = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * A stored task as the API answers it (protocol's AgentTask): named field by field, so a column added to
 * the table does not reach the API until the contract says so, and a contract field the rows lack does not
 * compile.
 */
export function taskBody(task: Task): AgentTask {
  return {
    id: task.id,
    description: task.description,
    type: task.type,
    status: task.status,
    priority: task.priority,
    control: task.control,
    createdBy: task.createdBy,
    scheduledFor: timeOrNull(task.scheduledFor),
    model: task.model,
    error: task.error,
    result: (task.result ?? null) as AgentTask['result'],
    limits: task.limits,
    inputTokens: task.inputTokens,
    outputTokens: task.outputTokens,
    cacheReadTokens: task.cacheReadTokens,
    cacheWriteTokens: task.cacheWriteTokens,
    steps: task.steps,
    costUsd: task.costUsd,
    runningMs: task.runningMs,
    createdAt: time(task.createdAt),
    updatedAt: time(task.updatedAt),
    executedAt: timeOrNull(task.executedAt),
    completedAt: timeOrNull(task.completedAt),
    desktopId: task.desktopId,
  };
}

/** A stored message as the API answers it (protocol's AgentMessage). */
export function messageBody(message: Message): AgentMessage {
  return {
    id: message.id,
    taskId: message.taskId,
    sequence: message.sequence,
    role: message.role,
    content: message.content,
    usage: message.usage,
    createdAt: time(message.createdAt),
    updatedAt: time(message.updatedAt),
  };
}
