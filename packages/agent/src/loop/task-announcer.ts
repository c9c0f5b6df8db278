import type { Message, Task } from '../storage/index.ts';
import type { TaskEvents } from '../tasks/task-events.ts';

/** Tells the connected clients what changed, as it is stored. */
export class TaskAnnouncer {
  constructor(private readonly events: TaskEvents) {}

  task(task: Task): void {
    this.events.emit('task_updated', task);
  }

  message(message: Message): void {
    this.events.emit('new_message', message);
  }
}
