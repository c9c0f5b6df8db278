import { EventEmitter } from 'node:events';
import type { Message, Task } from '../storage/index.ts';

export interface TaskEventMap {
  task_created: [Task];
  task_updated: [Task];
  /** The id, as the original agent sends it. */
  task_deleted: [string];
  new_message: [Message];
}

/** Everything that changes a task or its conversation is announced here; the websocket gateway relays it. */
export class TaskEvents extends EventEmitter<TaskEventMap> {}
