import type { Usage } from '@bytebot/protocol';
import type { TaskGuard } from '../guards/task-guard.ts';
import type { ModelProvider } from '../model/model-provider.ts';
import type { MessageRepository, SummaryRepository, Task, TaskRepository } from '../storage/index.ts';
import { replyText } from './call-notes.ts';
import { mergeTurns } from './context-window.ts';
import type { DesktopScreen } from './desktop-screen.ts';
import type { ModelContext } from './model-context.ts';
import type { TaskAnnouncer } from './task-announcer.ts';

const instructions =
  'You summarize the progress of a desktop task for your own later use: what was done, what is on the ' +
  'screen now, what remains, and any facts learned (names, paths, values). Be concise and exact.';

/**
 * When the prompt has grown past the budget, the steps before the last one are summarized by the model
 * and replaced by that summary in later requests (the messages themselves stay stored).
 */
export class ProgressSummary {
  constructor(
    private readonly stores: {
      messages: MessageRepository;
      summaries: SummaryRepository;
      tasks: TaskRepository;
    },
    private readonly context: ModelContext,
    private readonly screen: DesktopScreen,
    private readonly announce: TaskAnnouncer,
    private readonly options: { summarizeAboveTokens: number; maxOutputTokens: number },
  ) {}

  async ifLong(
    task: Task,
    provider: ModelProvider,
    guard: TaskGuard,
    usage: Usage,
    signal: AbortSignal,
  ): Promise<void> {
    const { messages, summaries, tasks } = this.stores;
    const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    if (promptTokens <= this.options.summarizeAboveTokens) return;
    const stored = await messages.list(task.id);
    // Keep the newest round (the assistant's calls and their results) as it is; cover up to the user turn before it.
    const lastAssistant = stored.findLastIndex((message) => message.role === 'assistant');
    const covered = stored[lastAssistant - 1];
    if (covered?.role !== 'user') return;
    const previous = await summaries.latest(task.id);
    if (previous && previous.coversUntilSequence >= covered.sequence) return;
    const screen = (await this.screen.scalingFor(provider)).model;
    const context = await this.context.build(task, provider);
    const response = await provider.generate({
      system: instructions,
      messages: mergeTurns([
        ...context,
        { role: 'user', content: [{ type: 'text', text: 'Summarize the progress on this task so far.' }] },
      ]),
      tools: [],
      screen,
      maxOutputTokens: this.options.maxOutputTokens,
      signal,
    });
    this.announce.task(
      await tasks.addUsage(task.id, response.usage, guard.progress(response.usage, 'summary')),
    );
    const content = replyText(response.content);
    if (content === '') return;
    await summaries.create({
      taskId: task.id,
      content,
      parentId: previous?.id ?? null,
      coversUntilSequence: covered.sequence,
    });
  }
}
