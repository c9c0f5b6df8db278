export {
  type ActionInputOf,
  type ActionName,
  type ActionOf,
  actionNames,
  applicationNames,
  type ComputerAction,
  type ComputerActionInput,
  computerActionSchema,
  computerActionSchemas,
  regionSchema,
} from './actions.schema.ts';
export {
  type ErrorBody,
  type ErrorCode,
  errorBodySchema,
  errorCodes,
  errorStatuses,
  isRetryableStatus,
} from './errors.ts';
export { type Health, healthSchema } from './health.schema.ts';
export {
  actionJsonSchema,
  actionResultJsonSchema,
  actionToolSchema,
  allActionJsonSchemas,
  computerActionJsonSchema,
  type JsonSchema,
} from './json-schema.ts';
export { commonKeyNames, isKnownKey, keysymForCharacter, type ResolvedKey, resolveKey } from './key-names.ts';
export { limits } from './limits.ts';
export { bytebotdOpenApiDocument } from './openapi.ts';
export { coordinatesSchema } from './primitives.schema.ts';
export {
  type ActionResultOf,
  actionResultSchemas,
  type ReadFileResult,
  type ScreenshotResult,
  type SettledScreenshotResult,
  settledScreenshotSchema,
} from './results.schema.ts';
export { type ScreenshotAfter, screenshotAfterSchema } from './screenshot-after.schema.ts';
export {
  type ContentBlock,
  type CreateTaskRequest,
  contentBlockSchema,
  createTaskRequestSchema,
  finishedTaskStatuses,
  type ImageBlock,
  type MessageRole,
  messageRoleSchema,
  type RedactedThinkingBlock,
  redactedThinkingBlockSchema,
  type StoredContentBlock,
  type StoredImageBlock,
  type StoredToolResultBlock,
  storedContentBlockSchema,
  storedText,
  type TaskControl,
  type TaskLimits,
  type TaskPriority,
  type TaskStatus,
  type TextBlock,
  type ThinkingBlock,
  type ToolResultBlock,
  type ToolUseBlock,
  taskControlSchema,
  taskFileInputSchema,
  taskLimitsSchema,
  taskPriorities,
  taskPrioritySchema,
  taskStatuses,
  taskStatusSchema,
  thinkingBlockSchema,
  type Usage,
  usageSchema,
} from './task.schema.ts';
export { describeValidationIssues } from './validation-message.ts';
