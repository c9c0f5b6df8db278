interface RunningTask {
  /** Stops the whole loop: cancel, delete, the agent stopping. */
  task: AbortController;
  /**
   * Stops the desktop action in flight but not the loop: a person took control. It stays aborted until
   * the task is handed back, so an action that starts meanwhile (past the takeover gate a moment before
   * the takeover) stops at once instead of running under the person's hands.
   */
  interrupt: AbortController;
  /** Settled when the task's loop has returned: nothing it does can write for the task any more. */
  ended: { promise: Promise<void>; resolve: () => void };
}

/**
 * The signal each desktop action of a task runs under, found from the task's own signal: that is what the
 * loop hands the executor of its calls, which need not know this registry.
 */
const actionSignals = new WeakMap<AbortSignal, () => AbortSignal>();

/** The signal for one desktop action of the task whose loop runs under `taskSignal`. */
export function actionSignalOf(taskSignal: AbortSignal): AbortSignal {
  return actionSignals.get(taskSignal)?.() ?? taskSignal;
}

/**
 * Tasks whose loop runs in this process, each with an AbortController: cancelling one stops its model
 * request, and the desktop action in flight, at once instead of after they finish. (Other processes
 * notice through the database, at the loop's next step.)
 */
export class RunningTasks {
  private readonly tasks = new Map<string, RunningTask>();

  start(taskId: string): AbortSignal {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((settle) => {
      resolve = settle;
    });
    const running: RunningTask = {
      task: new AbortController(),
      interrupt: new AbortController(),
      ended: { promise, resolve },
    };
    this.tasks.set(taskId, running);
    const signal = running.task.signal;
    actionSignals.set(signal, () => AbortSignal.any([signal, running.interrupt.signal]));
    return signal;
  }

  finish(taskId: string): void {
    this.tasks.get(taskId)?.ended.resolve();
    this.tasks.delete(taskId);
  }

  /** Waits until the task's loop in this process has returned (at most `timeoutMs`). */
  async stopped(taskId: string, timeoutMs: number): Promise<void> {
    const ended = this.tasks.get(taskId)?.ended;
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
    this.tasks.get(taskId)?.task.abort(new Error('the task was cancelled'));
  }

  /** A person took control: the action in flight stops, and none starts until the task is handed back. */
  interrupt(taskId: string): void {
    this.tasks.get(taskId)?.interrupt.abort(new Error('a person took control of the desktop'));
  }

  /** The task is handed back: its actions run again. */
  handBack(taskId: string): void {
    const running = this.tasks.get(taskId);
    if (running?.interrupt.signal.aborted) running.interrupt = new AbortController();
  }

  /** On shutdown: the loops stop where they are and resume from the database at the next start. */
  abortAll(): void {
    for (const running of this.tasks.values()) running.task.abort(new Error('the agent is stopping'));
  }

  has(taskId: string): boolean {
    return this.tasks.has(taskId);
  }
}
