import type { BytebotdClient } from '@bytebot/client';
import { BytebotdClientError } from '@bytebot/client';
import { type GuardSettings, readGuardSettings } from '../guards/guard-settings.ts';
import { TaskGuard } from '../guards/task-guard.ts';
import { ModelError } from '../model/model-error.ts';
import { type FunctionTool, heldForConfirmation, type ModelProvider } from '../model/model-provider.ts';
import { ModelScreenshots } from '../screenshots/model-screenshots.ts';
import type { ScreenshotStore } from '../screenshots/screenshot-store.ts';
import type {
  FileRepository,
  MessageRepository,
  SummaryRepository,
  Task,
  TaskRepository,
} from '../storage/index.ts';
import type { RunningTasks } from '../tasks/running-tasks.ts';
import type { TaskEvents } from '../tasks/task-events.ts';
import type { CustomTools } from '../tools/custom-tools.ts';
import { agentTools } from './agent-tools.ts';
import { CallBatch } from './call-batch.ts';
import { answer, replyText, toolUses, withSummaries } from './call-notes.ts';
import { ConversationStart } from './conversation-start.ts';
import { desktopMoveOf, isHandOffNote } from './desktop-move.ts';
import { DesktopScreen } from './desktop-screen.ts';
import { ModelContext } from './model-context.ts';
import { ProgressSummary } from './progress-summary.ts';
import { nudgedTooOften, nudgeFor, personConfirmed } from './reply-check.ts';
import { systemPrompt } from './system-prompt.ts';
import { TakeoverGate } from './takeover-gate.ts';
import { TaskAnnouncer } from './task-announcer.ts';
import { TaskEnding } from './task-ending.ts';
import { offeredTools, withheldTools } from './task-tools.ts';
import { ToolExecutor } from './tool-executor.ts';

export interface ModelResolver {
  /** The provider for a task's model (the default when the task names none), or why there is none. */
  resolve(model: string | null): { provider: ModelProvider } | { error: string };
}

export interface TaskRunnerOptions {
  maxOutputTokens: number;
  /** Screenshots kept in the history sent to the model; older ones become a short note. */
  keepScreenshots: number;
  /** When one request's prompt grows past this many tokens, older steps are summarized. */
  summarizeAboveTokens: number;
  /** How often a paused task (a person took over) looks whether it was handed back. */
  pausePollMs: number;
  /** The first wait after a model call failed with a retryable error (past the SDK's own retries); doubles each time. */
  modelRetryMs: number;
  /** The longest such wait. */
  modelRetryMaxMs: number;
}

/** The desktop the loop drives, as a member of the fleet. */
export interface RunnerDesktop {
  /** Recorded on each task the loop claims (desktopId). */
  readonly id: string;
  taskStarted(taskId: string): void;
  taskEnded(taskId: string): void;
  /**
   * The desktop stopped answering under the task: true when the task was handed to another desktop of the
   * fleet (it waits in the queue), false when none can take it and a person must decide.
   */
  handOff(taskId: string, detail: string): Promise<boolean>;
}

export interface TaskRunnerDependencies {
  tasks: TaskRepository;
  messages: MessageRepository;
  summaries: SummaryRepository;
  files: FileRepository;
  /** Where screenshots are kept as files; messages hold references. */
  screenshots: ScreenshotStore;
  client: BytebotdClient;
  customTools: CustomTools;
  models: ModelResolver;
  events: TaskEvents;
  running: RunningTasks;
  log: { info(line: string): void; warn(line: string): void; error(line: string): void };
  options: TaskRunnerOptions;
  /** Limits, prices and the loop detector's thresholds; read from the environment when not given. */
  guards?: GuardSettings;
  /** The clock running time is measured with (tests give their own). */
  now?: () => number;
  /** This agent's desktop in the fleet; without it tasks record no desktop and never move. */
  desktop?: RunnerDesktop;
}

/** Replies in a row that were cut off or empty, each answered with a nudge, before a person is asked. */
const maxNudges = 2;

/** Waits, or stops waiting when the task is cancelled. */
function pause(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(done, milliseconds);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolvePromise();
    }
  });
}

/**
 * The model loop for one task: ask the model, carry out its tool calls on the desktop, store every
 * message, and stop when the model is done, asks for help, or a person cancels or takes over. Every
 * step starts from the database, so a loop interrupted by a crash picks up where it was. The steps'
 * parts live beside it: the gate, the batch of calls, the context, the summary, the ending.
 */
export class TaskRunner {
  private readonly tools: FunctionTool[];
  private readonly guardSettings: GuardSettings;
  /** The guard rails of each task running now. */
  private readonly guards = new Map<string, TaskGuard>();
  private readonly announce: TaskAnnouncer;
  private readonly ending: TaskEnding;
  private readonly gate: TakeoverGate;
  private readonly batch: CallBatch;
  private readonly screen: DesktopScreen;
  private readonly context: ModelContext;
  private readonly summary: ProgressSummary;
  private readonly start: ConversationStart;

  constructor(private readonly dependencies: TaskRunnerDependencies) {
    const { tasks, messages, summaries, files, client, events, options } = dependencies;
    this.tools = [...agentTools, ...dependencies.customTools.definitions];
    this.guardSettings = dependencies.guards ?? readGuardSettings();
    this.announce = new TaskAnnouncer(events);
    this.ending = new TaskEnding(tasks, this.announce);
    this.gate = new TakeoverGate(tasks, options.pausePollMs, (taskId) =>
      dependencies.running.handBack(taskId),
    );
    this.batch = new CallBatch(new ToolExecutor(client, dependencies.customTools), this.gate);
    this.screen = new DesktopScreen(client);
    this.context = new ModelContext(
      messages,
      summaries,
      new ModelScreenshots(dependencies.screenshots),
      this.screen,
      options.keepScreenshots,
    );
    this.summary = new ProgressSummary(
      { messages, summaries, tasks },
      this.context,
      this.screen,
      this.announce,
      options,
    );
    this.start = new ConversationStart(messages, files, client, this.announce);
  }

  async run(taskId: string): Promise<void> {
    const { tasks, running, log, desktop } = this.dependencies;
    const current = await tasks.get(taskId);
    if (!current || (current.status !== 'PENDING' && current.status !== 'RUNNING')) return;
    // A RUNNING task claimed here was left by a run that never ended: its agent died mid-task.
    const move = desktopMoveOf(current, current.status === 'RUNNING', desktop?.id);
    const claimed = await tasks.update(
      taskId,
      {
        status: 'RUNNING',
        executedAt: current.executedAt ?? new Date(),
        ...(desktop ? { desktopId: desktop.id } : {}),
        // The note that it waited for another desktop is over: it runs on one.
        ...(move && isHandOffNote(current.error) ? { error: null } : {}),
      },
      { onlyIfStatusIn: ['PENDING', 'RUNNING'] },
    );
    if (!claimed) return;
    this.announce.task(claimed);
    const signal = running.start(taskId);
    desktop?.taskStarted(taskId);
    try {
      const resolved = this.dependencies.models.resolve(claimed.model);
      if ('error' in resolved) {
        await this.ending.finish(taskId, 'FAILED', { error: resolved.error });
        return;
      }
      const guard = new TaskGuard(
        taskId,
        resolved.provider.model,
        tasks,
        this.guardSettings,
        this.dependencies.now,
      );
      this.guards.set(taskId, guard);
      await this.start.prepare(claimed, move);
      await this.loop(claimed, resolved.provider, guard, signal);
    } catch (error) {
      if (signal.aborted) return;
      // A desktop that cannot be reached (stopped, restarting) may come back: a person decides, and a
      // message goes on from where the task was.
      if (
        error instanceof BytebotdClientError &&
        (error.code === 'NETWORK' || error.code === 'DESKTOP_UNAVAILABLE')
      ) {
        log.warn(`task ${taskId}: the desktop cannot be reached: ${error.message}`);
        // In a fleet, another desktop takes the task over; the conversation tells the model it moved.
        if (await desktop?.handOff(taskId, error.message)) return;
        await this.ending.finish(taskId, 'NEEDS_HELP', {
          error: `the desktop cannot be reached (${error.message}); send a message to go on once it is back`,
        });
        return;
      }
      log.error(`task ${taskId}: ${(error as Error).stack ?? String(error)}`);
      await this.ending.finish(taskId, 'FAILED', { error: `the agent failed: ${(error as Error).message}` });
    } finally {
      await this.guards.get(taskId)?.close();
      this.guards.delete(taskId);
      running.finish(taskId);
      desktop?.taskEnded(taskId);
    }
  }

  private async loop(
    task: Task,
    provider: ModelProvider,
    guard: TaskGuard,
    signal: AbortSignal,
  ): Promise<void> {
    const { messages, tasks, options, log } = this.dependencies;
    // Model calls that failed in a row (retryable errors), and replies in a row that were no answer.
    let failures = 0;
    let nudges = 0;
    for (;;) {
      if ((await this.gate.pass(task.id, signal, guard.clock)) === 'stop') return;
      // A limit reached (steps, tokens, cost, running time) stops the task before it asks the model again.
      const reached = await guard.beforeModelCall();
      if (reached) {
        await this.ending.finish(task.id, 'NEEDS_HELP', { error: reached.reason });
        return;
      }
      // Read each step: a person's message may have changed the tools (limits.tools) while the task ran.
      const withheld = withheldTools((await tasks.get(task.id))?.limits ?? task.limits);
      const scaling = await this.screen.scalingFor(provider);
      // The model sees, and points in, a screenshot sized for it; the executor maps back to the screen.
      const screen = scaling.model;
      let response: Awaited<ReturnType<ModelProvider['generate']>>;
      try {
        response = await provider.generate({
          system: systemPrompt({ screen }),
          messages: await this.context.build(task, provider),
          tools: offeredTools(this.tools, withheld),
          screen,
          maxOutputTokens: options.maxOutputTokens,
          signal,
        });
      } catch (error) {
        if (signal.aborted) return;
        if (!(error instanceof ModelError)) throw error;
        // A refusal of the request itself (400, 401, 403, 404) will not change by asking again.
        if (!error.retryable) {
          await this.ending.finish(task.id, 'FAILED', { error: error.message });
          return;
        }
        // Overloaded or unreachable past the SDK's own retries: wait longer and go on, within the time cap.
        failures += 1;
        const delay = Math.min(options.modelRetryMaxMs, options.modelRetryMs * 2 ** (failures - 1));
        const waiting = `${error.message}; trying again in ${Math.round(delay / 1000)} s (attempt ${failures + 1})`;
        log.warn(`task ${task.id}: ${waiting}`);
        const noted = await tasks.update(task.id, { error: waiting }, { onlyIfStatusIn: ['RUNNING'] });
        if (noted) this.announce.task(noted);
        await pause(delay, signal);
        continue;
      }
      if (failures > 0) {
        failures = 0;
        const cleared = await tasks.update(task.id, { error: null }, { onlyIfStatusIn: ['RUNNING'] });
        if (cleared) this.announce.task(cleared);
      }
      const progress = guard.progress(response.usage, 'step');
      const counted = await tasks.addUsage(task.id, response.usage, progress);
      this.announce.task(counted);
      // Past a limit now, the answer is still carried out (it is paid for), but the model is not asked again.
      const reachedNow = guard.limitReached(counted);
      // Blank text is never stored: sent back, the API would refuse it.
      const content = withSummaries(
        response.content.filter((block) => block.type !== 'text' || block.text.trim() !== ''),
        response.toolCalls,
      );
      this.announce.message(
        await messages.append(task.id, 'assistant', content, {
          ...response.usage,
          costUsd: progress.costUsd ?? 0,
        }),
      );
      if (response.toolCalls.length === 0) {
        if (response.stopReason === 'refusal') {
          await this.ending.finish(task.id, 'FAILED', {
            error: `the model declined the task: ${replyText(response.content) || 'no reason given'}`,
          });
          return;
        }
        const nudge = nudgeFor(response, options.maxOutputTokens);
        if (nudge) {
          nudges += 1;
          if (nudges > maxNudges) {
            await this.ending.finish(task.id, 'NEEDS_HELP', {
              error: nudgedTooOften(response, nudges, options.maxOutputTokens),
            });
            return;
          }
          this.announce.message(await messages.append(task.id, 'user', [{ type: 'text', text: nudge }]));
          continue;
        }
        await this.ending.finish(task.id, 'COMPLETED', { result: { summary: replyText(response.content) } });
        return;
      }
      nudges = 0;
      const confirmation = response.toolCalls.find((call) => call.kind === 'computer' && call.confirm);
      if (confirmation?.kind === 'computer' && !(await personConfirmed(messages, task.id))) {
        // Nothing of the turn runs until a person has said go: their reply resumes the task.
        const held = response.toolCalls.map((call) => answer(call, heldForConfirmation, true));
        this.announce.message(await messages.append(task.id, 'user', held));
        await this.ending.finish(task.id, 'NEEDS_HELP', {
          error: `The model's provider asks a person to confirm before it acts: ${confirmation.confirm}. Reply to let it go on, or cancel the task.`,
        });
        return;
      }
      const carried = await this.batch.run(task.id, response.toolCalls, {
        signal,
        scaling,
        clock: guard.clock,
        withheld,
      });
      const { statusRequest, stopped } = carried;
      // The loop detector reads the step before it is stored, so a repeat's result carries its note.
      const watched = stopped
        ? { results: carried.results }
        : guard.watch(toolUses(content), carried.results);
      const stored = await this.dependencies.screenshots.storeImages(task.id, watched.results);
      this.announce.message(await messages.append(task.id, 'user', stored));
      if (stopped) return;
      if (statusRequest) {
        await this.ending.asRequested(task.id, statusRequest);
        return;
      }
      const stopReason = watched.stuck?.reason ?? reachedNow?.reason;
      if (stopReason) {
        await this.ending.finish(task.id, 'NEEDS_HELP', { error: stopReason });
        return;
      }
      await this.summary.ifLong(task, provider, guard, response.usage, signal);
    }
  }
}
