import type { ToolResultBlock, ToolUseBlock, Usage } from '@bytebot/protocol';
import type { Task, TaskProgress, TaskRepository } from '../storage/index.ts';
import type { GuardSettings } from './guard-settings.ts';
import { LoopDetector, type LoopVerdict } from './loop-detector.ts';
import { RunningClock } from './running-clock.ts';
import { effectiveLimits, type LimitReached, limitReached } from './task-limits.ts';

/**
 * The guard rails of one run of one task: its limits (steps, tokens, cost, running time), the cost of each
 * model response, and the loop detector. The runner asks it before each model call and after each step.
 */
export class TaskGuard {
  /** Paused by the runner while a person has control. */
  readonly clock: RunningClock;
  private readonly loops: LoopDetector;

  constructor(
    private readonly taskId: string,
    private readonly model: string,
    private readonly tasks: TaskRepository,
    private readonly settings: GuardSettings,
    now: () => number = Date.now,
  ) {
    this.clock = new RunningClock(now);
    this.loops = new LoopDetector(settings.loop);
  }

  /** Books the running time so far and answers the limit the task has reached, if any. */
  async beforeModelCall(): Promise<LimitReached | undefined> {
    const task = await this.tasks.addRunningTime(this.taskId, this.clock.lap());
    return task ? this.limitReached(task) : undefined;
  }

  /** What a model response adds to the task beside its tokens: its cost, the step, the time run since. */
  progress(usage: Usage, kind: 'step' | 'summary'): TaskProgress {
    return {
      steps: kind === 'step' ? 1 : 0,
      costUsd: this.settings.prices.costOf(this.model, usage),
      runningMs: this.clock.lap(),
    };
  }

  limitReached(task: Task): LimitReached | undefined {
    return limitReached(task, effectiveLimits(task.limits, this.settings.limits));
  }

  /** Looks at a step's calls and results for the model going round in circles. */
  watch(calls: ToolUseBlock[], results: ToolResultBlock[]): LoopVerdict {
    return this.loops.observe(calls, results);
  }

  /** Books the running time of the run's end; the task may be gone by then. */
  async close(): Promise<void> {
    await this.tasks.addRunningTime(this.taskId, this.clock.lap()).catch(() => undefined);
  }
}
