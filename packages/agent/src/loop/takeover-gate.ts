import type { RunningClock } from '../guards/running-clock.ts';
import type { TaskRepository } from '../storage/index.ts';

/** What a task may do next: go on, stop (cancelled or ended elsewhere), or go on after a person's takeover. */
export type Gate = 'go' | 'stop' | 'resumed';

/**
 * Looked at before each model call and action: the database says whether the task still runs and who
 * has control, so a cancel or a takeover made through any agent is seen here.
 */
export class TakeoverGate {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly pollMs: number,
    /**
     * Called when the task was handed back: its actions may run again. The agent that took the hand-back
     * request may be another one of the fleet, whose word (relayed over Redis) can come after this look.
     */
    private readonly onResumed?: (taskId: string) => void,
  ) {}

  /** Waits while a person has control; that time does not count against the task's time limit. */
  async pass(taskId: string, signal: AbortSignal, clock?: RunningClock): Promise<Gate> {
    let paused = false;
    for (;;) {
      if (signal.aborted) return 'stop';
      const task = await this.tasks.get(taskId);
      if (task?.status !== 'RUNNING') return 'stop';
      if (task.control === 'ASSISTANT') {
        clock?.resume();
        if (!paused) return 'go';
        this.onResumed?.(taskId);
        return 'resumed';
      }
      clock?.pause();
      paused = true;
      await new Promise((resolvePromise) => setTimeout(resolvePromise, this.pollMs));
    }
  }
}
