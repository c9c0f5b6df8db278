/**
 * Tasks whose loop runs in this process, each with an AbortController: cancelling one stops its model
 * request at once instead of after the model answers. (Other processes notice through the database.)
 */
export class RunningTasks {
  private readonly controllers = new Map<string, AbortController>();
  /** Settled when the task's loop has returned: nothing it does can write for the task any more. */
  private readonly ended = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  start(taskId: string): AbortSignal {
    const controller = new AbortController();
    this.controllers.set(taskId, controller);
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((settle) => {
      resolve = settle;
    });
    this.ended.set(taskId, { promise, resolve });
    return controller.signal;
  }

  finish(taskId: string): void {
    this.controllers.delete(taskId);
    this.ended.get(taskId)?.resolve();
    this.ended.delete(taskId);
  }

  /** Waits until the task's loop in this process has returned (at most `timeoutMs`). */
  async stopped(taskId: string, timeoutMs: number): Promise<void> {
    const ended = this.ended.get(taskId);
    if (!ended) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ended.promise,
      new Promise<void>((resolvePromise) => {
        timer = setTimeout(resolvePromise, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
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
