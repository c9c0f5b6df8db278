export {
  type AgentDatabase,
  type Database,
  migrationsFolder,
  type OpenDatabaseOptions,
  openDatabase,
} from './database.ts';
export {
  DesktopRepository,
  type DesktopRow,
  type DesktopSighting,
  type ListedDesktop,
} from './desktop.repository.ts';
export { type CreateTaskFileInput, FileRepository, type TaskFile } from './file.repository.ts';
export { type Message, MessageRepository } from './message.repository.ts';
export type { StepUsage, TaskCreator, TaskType } from './schema.ts';
export { type CreateSummaryInput, type Summary, SummaryRepository } from './summary.repository.ts';
export {
  type CreateTaskInput,
  type Task,
  type TaskPatch,
  type TaskProgress,
  TaskRepository,
} from './task.repository.ts';
