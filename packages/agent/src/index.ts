export { type Agent, type AgentLog, createAgent } from './agent.ts';
export { readLoopSettings } from './agent-settings.ts';
export { type ModelResolver, TaskRunner, type TaskRunnerOptions } from './loop/task-runner.ts';
export { translateComputerCall } from './model/anthropic/computer-tool.ts';
export { createAnthropic } from './model/anthropic/create-anthropic.ts';
export { defaultAnthropicModel, ModelCatalog } from './model/model-catalog.ts';
export type { ModelProvider, ModelRequest, ModelResponse } from './model/model-provider.ts';
export { modelScreenSize } from './model/screen-scaling.ts';
export {
  describeEncoding,
  type ImageEncoding,
  losslessScreenshots,
  type ScreenshotEncoding,
  screenshotEncodings,
} from './model/screenshot-encoding.ts';
export { encodeScreenshot, ModelScreenshots } from './screenshots/model-screenshots.ts';
export { ScreenshotStore } from './screenshots/screenshot-store.ts';
export {
  FileRepository,
  MessageRepository,
  openDatabase,
  SummaryRepository,
  TaskRepository,
} from './storage/index.ts';
export { RunningTasks } from './tasks/running-tasks.ts';
export { TaskEvents } from './tasks/task-events.ts';
export { CustomTools, loadCustomTools } from './tools/custom-tools.ts';
export {
  type CustomTool,
  type CustomToolContext,
  type CustomToolResult,
  defineTool,
} from './tools/define-tool.ts';
