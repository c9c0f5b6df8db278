import type { ModelMessage, ModelProvider } from '../model/model-provider.ts';
import { losslessScreenshots } from '../model/screenshot-encoding.ts';
import type { ModelScreenshots } from '../screenshots/model-screenshots.ts';
import type { MessageRepository, SummaryRepository, Task } from '../storage/index.ts';
import { dropOldScreenshots, mergeTurns, type StoredMessage, withoutBlanks } from './context-window.ts';
import type { DesktopScreen } from './desktop-screen.ts';

/**
 * The conversation as it is sent to the model: the latest summary in place of the steps it covers, the
 * newest screenshots only, in the provider's encoding.
 */
export class ModelContext {
  constructor(
    private readonly messages: MessageRepository,
    private readonly summaries: SummaryRepository,
    private readonly screenshots: ModelScreenshots,
    private readonly screen: DesktopScreen,
    /** Screenshots kept in the history sent to the model; older ones become a short note. */
    private readonly keepScreenshots: number,
  ) {}

  async build(task: Task, provider: ModelProvider): Promise<ModelMessage[]> {
    const summary = await this.summaries.latest(task.id);
    const stored = summary
      ? await this.messages.listAfter(task.id, summary.coversUntilSequence)
      : await this.messages.list(task.id);
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
    const trimmed = dropOldScreenshots(mergeTurns(withoutBlanks(history)), this.keepScreenshots);
    const scaling = await this.screen.scalingFor(provider);
    return this.screenshots.inline(task.id, trimmed, provider.screenshotEncoding ?? losslessScreenshots, {
      atScreenPixels: scaling.isIdentity,
    });
  }
}
