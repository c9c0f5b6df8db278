/**
 * Tasks whose loop runs in this process, each with an AbortController: cancelling one stops its model
 * request at once instead of after the model answers. (Other processes notice through the database.)
 */
export class RunningTasks {
  private readonly controllers = new Map<string, AbortController>();

  start(taskId: string): AbortSignal {
    const controller = new AbortController();
    this.controllers.set(taskId, controller);
    return controller.signal;
  }

  finish(taskId: string): void {
    this.controllers.delete(taskId);
  }

  abort(taskId: string): void {
    this.controllers.get(taskId)?.abort(new Error('the task was cancelled'));
  }

  /** On shutdown: the loops stop where they are and resume from the database at the next start. */
  abortAll(): void {
    for (const controller of this.controllers.values()) controller.abort(new Error('the agent is stopping'));
  }

  has(taskId: string): boolean {
    return this.controllers.has(taskId);
  }
}
