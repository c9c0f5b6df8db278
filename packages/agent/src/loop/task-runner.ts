import { type BytebotdClient, BytebotdClientError } from '@bytebot/client';
import type { ContentBlock, ToolResultBlock, ToolUseBlock, Usage } from '@bytebot/protocol';
import { type GuardSettings, readGuardSettings } from '../guards/guard-settings.ts';
import { TaskGuard } from '../guards/task-guard.ts';
import { ModelError } from '../model/model-error.ts';
import {
  type FunctionTool,
  heldForConfirmation,
  type ModelMessage,
  type ModelProvider,
  type ToolCall,
} from '../model/model-provider.ts';
import { ScreenScaling } from '../model/screen-scaling.ts';
import { losslessScreenshots } from '../model/screenshot-encoding.ts';
import { ModelScreenshots } from '../screenshots/model-screenshots.ts';
import type { ScreenshotStore } from '../screenshots/screenshot-store.ts';
import type {
  FileRepository,
  Message,
  MessageRepository,
  SummaryRepository,
  Task,
  TaskRepository,
} from '../storage/index.ts';
import type { RunningTasks } from '../tasks/running-tasks.ts';
import type { TaskEvents } from '../tasks/task-events.ts';
import type { CustomTools } from '../tools/custom-tools.ts';
import { agentTools } from './agent-tools.ts';
import { dropOldScreenshots, mergeTurns, type StoredMessage, withoutBlanks } from './context-window.ts';
import { systemPrompt } from './system-prompt.ts';
import { type StatusRequest, ToolExecutor } from './tool-executor.ts';

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
}

type Gate = 'go' | 'stop' | 'resumed';

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

const interrupted =
  'The agent stopped before this action finished (it was restarted). The action may or may not have ' +
  'happened: take a screenshot to see the current state.';
const handedBack =
  'A person took control of the desktop and has handed it back; this action was not carried out. ' +
  'The screen may have changed: take a screenshot before going on.';

function text(blocks: ContentBlock[]): string {
  return blocks
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('\n')
    .trim();
}

const applicationNames: Record<string, string> = {
  firefox: 'Firefox',
  terminal: 'the terminal',
  file_manager: 'the file manager',
  directory: 'the file manager',
  text_editor: 'the text editor',
  desktop: 'the desktop',
};

/** The line a person reads in the conversation for one tool call. */
function summarize(call: ToolCall): string {
  if (call.kind === 'computer') return call.describe;
  if (call.kind === 'invalid') return `Could not carry out ${call.name}: ${call.error}`;
  const input = call.input;
  switch (call.name) {
    case 'open_application':
      return `Opened ${applicationNames[String(input.application)] ?? String(input.application)}`;
    case 'set_task_status':
      return `Marked the task ${String(input.status).replace('_', ' ')}: ${String(input.description ?? '')}`;
    case 'read_file':
      return `Read ${String(input.path)}`;
    case 'write_file':
      return `Wrote ${String(input.path)}`;
    default:
      return `Used ${call.name}`;
  }
}

function withSummaries(content: ContentBlock[], calls: ToolCall[]): ContentBlock[] {
  return content.map((block) => {
    if (block.type !== 'tool_use') return block;
    const call = calls.find((candidate) => candidate.id === block.id);
    return call ? { ...block, summary: summarize(call) } : block;
  });
}

function toolUses(content: ContentBlock[]): ToolUseBlock[] {
  return content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
}

function note(id: string, message: string, isError = false, toolsetName?: string): ToolResultBlock {
  return {
    type: 'tool_result',
    tool_use_id: id,
    content: [{ type: 'text', text: message }],
    ...(isError ? { is_error: true } : {}),
    ...(toolsetName ? { toolset_name: toolsetName } : {}),
  };
}

/** A call's result in words, echoing its toolset where it has one. */
function answer(call: ToolCall, message: string, isError: boolean): ToolResultBlock {
  return note(call.id, message, isError, call.kind === 'function' ? undefined : call.sequence?.family);
}

/**
 * The model loop for one task: ask the model, carry out its tool calls on the desktop, store every
 * message, and stop when the model is done, asks for help, or a person cancels or takes over. Every
 * step starts from the database, so a loop interrupted by a crash picks up where it was.
 */
export class TaskRunner {
  private readonly executor: ToolExecutor;
  private readonly modelScreenshots: ModelScreenshots;
  private readonly tools: FunctionTool[];
  private readonly guardSettings: GuardSettings;
  /** The guard rails of each task running now. */
  private readonly guards = new Map<string, TaskGuard>();
  private screen: { width: number; height: number } | undefined;

  constructor(private readonly dependencies: TaskRunnerDependencies) {
    this.executor = new ToolExecutor(dependencies.client, dependencies.customTools);
    this.modelScreenshots = new ModelScreenshots(dependencies.screenshots);
    this.tools = [...agentTools, ...dependencies.customTools.definitions];
    this.guardSettings = dependencies.guards ?? readGuardSettings();
  }

  async run(taskId: string): Promise<void> {
    const { tasks, running, log } = this.dependencies;
    const current = await tasks.get(taskId);
    if (!current || (current.status !== 'PENDING' && current.status !== 'RUNNING')) return;
    const claimed = await tasks.update(
      taskId,
      { status: 'RUNNING', executedAt: current.executedAt ?? new Date() },
      { onlyIfStatusIn: ['PENDING', 'RUNNING'] },
    );
    if (!claimed) return;
    this.announce(claimed);
    const signal = running.start(taskId);
    try {
      const resolved = this.dependencies.models.resolve(claimed.model);
      if ('error' in resolved) {
        await this.finish(taskId, 'FAILED', { error: resolved.error });
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
      await this.prepareConversation(claimed);
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
        await this.finish(taskId, 'NEEDS_HELP', {
          error: `the desktop cannot be reached (${error.message}); send a message to go on once it is back`,
        });
        return;
      }
      log.error(`task ${taskId}: ${(error as Error).stack ?? String(error)}`);
      await this.finish(taskId, 'FAILED', { error: `the agent failed: ${(error as Error).message}` });
    } finally {
      await this.guards.get(taskId)?.close();
      this.guards.delete(taskId);
      running.finish(taskId);
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
      if ((await this.gate(task.id, signal)) === 'stop') return;
      // A limit reached (steps, tokens, cost, running time) stops the task before it asks the model again.
      const reached = await guard.beforeModelCall();
      if (reached) {
        await this.finish(task.id, 'NEEDS_HELP', { error: reached.reason });
        return;
      }
      const scaling = await this.scalingFor(provider);
      // The model sees, and points in, a screenshot sized for it; the executor maps back to the screen.
      const screen = scaling.model;
      let response: Awaited<ReturnType<ModelProvider['generate']>>;
      try {
        response = await provider.generate({
          system: systemPrompt({ screen }),
          messages: await this.context(task, provider),
          tools: this.tools,
          screen,
          maxOutputTokens: options.maxOutputTokens,
          signal,
        });
      } catch (error) {
        if (signal.aborted) return;
        if (!(error instanceof ModelError)) throw error;
        // A refusal of the request itself (400, 401, 403, 404) will not change by asking again.
        if (!error.retryable) {
          await this.finish(task.id, 'FAILED', { error: error.message });
          return;
        }
        // Overloaded or unreachable past the SDK's own retries: wait longer and go on, within the time cap.
        failures += 1;
        const delay = Math.min(options.modelRetryMaxMs, options.modelRetryMs * 2 ** (failures - 1));
        const waiting = `${error.message}; trying again in ${Math.round(delay / 1000)} s (attempt ${failures + 1})`;
        log.warn(`task ${task.id}: ${waiting}`);
        const noted = await tasks.update(task.id, { error: waiting }, { onlyIfStatusIn: ['RUNNING'] });
        if (noted) this.announce(noted);
        await pause(delay, signal);
        continue;
      }
      if (failures > 0) {
        failures = 0;
        const cleared = await tasks.update(task.id, { error: null }, { onlyIfStatusIn: ['RUNNING'] });
        if (cleared) this.announce(cleared);
      }
      const progress = guard.progress(response.usage, 'step');
      const counted = await tasks.addUsage(task.id, response.usage, progress);
      this.announce(counted);
      // Past a limit now, the answer is still carried out (it is paid for), but the model is not asked again.
      const reachedNow = guard.limitReached(counted);
      // Blank text is never stored: sent back, the API would refuse it.
      const content = withSummaries(
        response.content.filter((block) => block.type !== 'text' || block.text.trim() !== ''),
        response.toolCalls,
      );
      this.announceMessage(
        await messages.append(task.id, 'assistant', content, {
          ...response.usage,
          costUsd: progress.costUsd ?? 0,
        }),
      );
      if (response.toolCalls.length === 0) {
        if (response.stopReason === 'refusal') {
          await this.finish(task.id, 'FAILED', {
            error: `the model declined the task: ${text(response.content) || 'no reason given'}`,
          });
          return;
        }
        const words = text(response.content);
        // A reply cut off at the output limit, or one with no words, is not the model's last word.
        const unfinished =
          response.stopReason === 'max_tokens'
            ? `Your reply was cut off at the output limit (${options.maxOutputTokens} tokens). Go on with the task, in shorter steps.`
            : words === ''
              ? 'Your reply was empty. Go on with the task, or call set_task_status to end it.'
              : undefined;
        if (unfinished) {
          nudges += 1;
          if (nudges > maxNudges) {
            await this.finish(task.id, 'NEEDS_HELP', {
              error:
                response.stopReason === 'max_tokens'
                  ? `the model's replies were cut off at the output limit (${options.maxOutputTokens} tokens, BYTEBOT_MAX_OUTPUT_TOKENS) ${nudges} times in a row`
                  : `the model gave ${nudges} empty replies in a row`,
            });
            return;
          }
          this.announceMessage(await messages.append(task.id, 'user', [{ type: 'text', text: unfinished }]));
          continue;
        }
        await this.finish(task.id, 'COMPLETED', { result: { summary: words } });
        return;
      }
      nudges = 0;
      const confirmation = response.toolCalls.find((call) => call.kind === 'computer' && call.confirm);
      if (confirmation?.kind === 'computer' && !(await this.personConfirmed(task.id))) {
        // Nothing of the turn runs until a person has said go: their reply resumes the task.
        const held = response.toolCalls.map((call) => answer(call, heldForConfirmation, true));
        this.announceMessage(await messages.append(task.id, 'user', held));
        await this.finish(task.id, 'NEEDS_HELP', {
          error: `The model's provider asks a person to confirm before it acts: ${confirmation.confirm}. Reply to let it go on, or cancel the task.`,
        });
        return;
      }
      const carried = await this.carryOut(task.id, response.toolCalls, signal, scaling);
      const { statusRequest, stopped } = carried;
      // The loop detector reads the step before it is stored, so a repeat's result carries its note.
      const watched = stopped
        ? { results: carried.results }
        : guard.watch(toolUses(content), carried.results);
      const stored = await this.dependencies.screenshots.storeImages(task.id, watched.results);
      this.announceMessage(await messages.append(task.id, 'user', stored));
      if (stopped) return;
      if (statusRequest) {
        await this.applyStatusRequest(task.id, statusRequest);
        return;
      }
      const stopReason = watched.stuck?.reason ?? reachedNow?.reason;
      if (stopReason) {
        await this.finish(task.id, 'NEEDS_HELP', { error: stopReason });
        return;
      }
      await this.summarizeIfLong(task, provider, guard, response.usage, signal);
    }
  }

  private async carryOut(
    taskId: string,
    calls: ToolCall[],
    signal: AbortSignal,
    scaling: ScreenScaling,
  ): Promise<{ results: ToolResultBlock[]; statusRequest?: StatusRequest; stopped: boolean }> {
    const results: ToolResultBlock[] = [];
    let statusRequest: StatusRequest | undefined;
    const lastComputerCall = calls.findLast((call) => call.kind === 'computer');
    // Toolsets whose calls stop for the rest of the turn: one of their calls failed.
    const failed = new Set<string>();
    for (const [index, call] of calls.entries()) {
      const gate = await this.gate(taskId, signal);
      if (gate !== 'go') {
        // Every call still gets a result, so the stored conversation stays valid for a later resume.
        for (const skipped of calls.slice(index)) {
          results.push(
            answer(
              skipped,
              gate === 'resumed' ? handedBack : 'The task was stopped before this action.',
              true,
            ),
          );
        }
        return { results, stopped: gate === 'stop' };
      }
      const sequence = call.kind === 'function' ? undefined : call.sequence;
      if (sequence && failed.has(sequence.family)) {
        results.push(answer(call, sequence.notExecuted, true));
        continue;
      }
      const outcome = await this.executor.execute(call, {
        taskId,
        signal,
        scaling,
        screenshot: call === lastComputerCall || (call.kind === 'computer' && call.alwaysScreenshot === true),
      });
      const result = sequence ? { ...outcome.result, toolset_name: sequence.family } : outcome.result;
      if (sequence && result.is_error) failed.add(sequence.family);
      results.push(result);
      statusRequest ??= outcome.statusRequest;
    }
    return { results, ...(statusRequest ? { statusRequest } : {}), stopped: false };
  }

  /**
   * Looks at the task before each model call and action: stop if it was cancelled (or otherwise left
   * RUNNING), and wait while a person has control (that time does not count against the task's time limit).
   */
  private async gate(taskId: string, signal: AbortSignal): Promise<Gate> {
    const clock = this.guards.get(taskId)?.clock;
    let paused = false;
    for (;;) {
      if (signal.aborted) return 'stop';
      const task = await this.dependencies.tasks.get(taskId);
      if (task?.status !== 'RUNNING') return 'stop';
      if (task.control === 'ASSISTANT') {
        clock?.resume();
        return paused ? 'resumed' : 'go';
      }
      clock?.pause();
      paused = true;
      await new Promise((resolvePromise) =>
        setTimeout(resolvePromise, this.dependencies.options.pausePollMs),
      );
    }
  }

  /**
   * Whether a person has just answered a confirmation request: the turn before the model's newest one was
   * held for confirmation, and a person's message came after it. It approves that one next turn only.
   */
  private async personConfirmed(taskId: string): Promise<boolean> {
    const stored = await this.dependencies.messages.list(taskId);
    // The newest message is the reply being judged; the user messages before it answer the turn before.
    let held = false;
    let replied = false;
    for (const message of stored.slice(0, -1).reverse()) {
      if (message.role !== 'user') break;
      for (const block of message.content) {
        if (block.type === 'text') replied = true;
        if (
          block.type === 'tool_result' &&
          block.content.some((part) => part.type === 'text' && part.text === heldForConfirmation)
        )
          held = true;
      }
    }
    return held && replied;
  }

  /** The opening message on a new task; on a resumed one, results for calls a crash left unanswered. */
  private async prepareConversation(task: Task): Promise<void> {
    const { messages } = this.dependencies;
    const history = await messages.list(task.id);
    if (history.length === 0) {
      const attached = await this.placeAttachments(task.id);
      const opening =
        attached.length > 0
          ? `${task.description}\n\nAttached files: ${attached.join(', ')}`
          : task.description;
      this.announceMessage(await messages.append(task.id, 'user', [{ type: 'text', text: opening }]));
      return;
    }
    // The newest calls of the model that have no result: the agent stopped (a crash) or the run failed
    // (the desktop could not be reached) while they were carried out. A person's message may have come
    // since; the results go after it, and the turn is put in the API's order when it is sent (mergeTurns).
    const lastCalls = history.findLastIndex((message) => message.role === 'assistant');
    const answered = new Set(
      history
        .slice(lastCalls + 1)
        .flatMap((message) => message.content)
        .flatMap((block) => (block.type === 'tool_result' ? [block.tool_use_id] : [])),
    );
    const unanswered = (history[lastCalls]?.content ?? []).filter(
      (block) => block.type === 'tool_use' && !answered.has(block.id),
    ) as ToolUseBlock[];
    if (unanswered.length > 0) {
      this.announceMessage(
        await messages.append(
          task.id,
          'user',
          unanswered.map((block) => note(block.id, interrupted, true, block.toolset_name)),
        ),
      );
    }
  }

  /** Puts the task's attachments on the desktop (~/Desktop, where a person sees them too); returns their paths. */
  private async placeAttachments(taskId: string): Promise<string[]> {
    const paths: string[] = [];
    for (const file of await this.dependencies.files.listForTask(taskId)) {
      if (!file.data) continue;
      const written = await this.dependencies.client.writeFile(`Desktop/${file.name}`, file.data);
      paths.push(written.path);
    }
    return paths;
  }

  private async context(task: Task, provider: ModelProvider): Promise<ModelMessage[]> {
    const { messages, summaries, options } = this.dependencies;
    const summary = await summaries.latest(task.id);
    const stored = summary
      ? await messages.listAfter(task.id, summary.coversUntilSequence)
      : await messages.list(task.id);
    const history: StoredMessage[] = stored.map((message) => ({
      role: message.role,
      content: [...message.content],
    }));
    if (summary) {
      history.unshift({
        role: 'user',
        content: [
          {
            type: 'text',
            text: `${task.description}\n\nWhat you have done so far, in summary:\n${summary.content}`,
          },
        ],
      });
    }
    // The task's start time, in a block of the opening message: the model knows the date, and the prompt
    // before it stays the same from step to step.
    const started = (task.executedAt ?? task.createdAt).toISOString();
    history[0]?.content.push({ type: 'text', text: `(This task started at ${started}.)` });
    // Old screenshots are dropped first, so only the few that are sent are read from disk, and those go
    // in the provider's encoding (the stored files stay lossless).
    const trimmed = dropOldScreenshots(mergeTurns(withoutBlanks(history)), options.keepScreenshots);
    const scaling = await this.scalingFor(provider);
    return this.modelScreenshots.inline(
      task.id,
      trimmed,
      provider.screenshotEncoding ?? losslessScreenshots,
      {
        atScreenPixels: scaling.isIdentity,
      },
    );
  }

  /**
   * When the prompt has grown past the budget, the steps before the last one are summarized by the model
   * and replaced by that summary in later requests (the messages themselves stay stored).
   */
  private async summarizeIfLong(
    task: Task,
    provider: ModelProvider,
    guard: TaskGuard,
    usage: Usage,
    signal: AbortSignal,
  ): Promise<void> {
    const { messages, summaries, tasks, options } = this.dependencies;
    const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    if (promptTokens <= options.summarizeAboveTokens) return;
    const stored = await messages.list(task.id);
    // Keep the newest round (the assistant's calls and their results) as it is; cover up to the user turn before it.
    const lastAssistant = stored.findLastIndex((message) => message.role === 'assistant');
    const covered = stored[lastAssistant - 1];
    if (covered?.role !== 'user') return;
    const previous = await summaries.latest(task.id);
    if (previous && previous.coversUntilSequence >= covered.sequence) return;
    const screen = (await this.scalingFor(provider)).model;
    const context = await this.context(task, provider);
    const response = await provider.generate({
      system:
        'You summarize the progress of a desktop task for your own later use: what was done, what is on the ' +
        'screen now, what remains, and any facts learned (names, paths, values). Be concise and exact.',
      messages: mergeTurns([
        ...context,
        { role: 'user', content: [{ type: 'text', text: 'Summarize the progress on this task so far.' }] },
      ]),
      tools: [],
      screen,
      maxOutputTokens: options.maxOutputTokens,
      signal,
    });
    this.announce(await tasks.addUsage(task.id, response.usage, guard.progress(response.usage, 'summary')));
    const content = text(response.content);
    if (content === '') return;
    await summaries.create({
      taskId: task.id,
      content,
      parentId: previous?.id ?? null,
      coversUntilSequence: covered.sequence,
    });
  }

  private async applyStatusRequest(taskId: string, request: StatusRequest): Promise<void> {
    if (request.status === 'completed')
      await this.finish(taskId, 'COMPLETED', { result: { summary: request.description } });
    else if (request.status === 'failed') await this.finish(taskId, 'FAILED', { error: request.description });
    else await this.finish(taskId, 'NEEDS_HELP', { error: request.description });
  }

  /** Moves a running task to its next status, unless a person changed it meanwhile (cancel wins). */
  private async finish(
    taskId: string,
    status: 'COMPLETED' | 'FAILED' | 'NEEDS_HELP',
    fields: { error?: string; result?: Record<string, unknown> },
  ): Promise<void> {
    const updated = await this.dependencies.tasks.update(
      taskId,
      {
        status,
        error: fields.error ?? null,
        ...(fields.result ? { result: fields.result } : {}),
        ...(status === 'NEEDS_HELP' ? {} : { completedAt: new Date() }),
      },
      { onlyIfStatusIn: ['RUNNING', 'PENDING'] },
    );
    if (updated) this.announce(updated);
  }

  private async scalingFor(provider: ModelProvider): Promise<ScreenScaling> {
    if (!this.screen) {
      const health = await this.dependencies.client.health();
      if (!health.screen) throw new Error(`the desktop at bytebotd is not ready (display ${health.display})`);
      this.screen = health.screen;
    }
    return new ScreenScaling(this.screen, provider.screenshotLimit);
  }

  private announce(task: Task): void {
    this.dependencies.events.emit('task_updated', task);
  }

  private announceMessage(message: Message): void {
    this.dependencies.events.emit('new_message', message);
  }
}
