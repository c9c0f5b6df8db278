import type { BytebotdClient } from '@bytebot/client';
import type { ToolUseBlock } from '@bytebot/protocol';
import type { FileRepository, MessageRepository, Task } from '../storage/index.ts';
import { note } from './call-notes.ts';
import { type DesktopMove, movedMessage, unansweredOnMovedDesktop } from './desktop-move.ts';
import type { TaskAnnouncer } from './task-announcer.ts';

const interrupted =
  'The agent stopped before this action finished (it was restarted). The action may or may not have ' +
  'happened: take a screenshot to see the current state.';

/**
 * Where a run of the loop begins: a new task gets its opening message (with its attachments placed on
 * the desktop); a resumed one gets results for the calls a crash left unanswered; one that moved to
 * another desktop of the fleet is told so, since nothing of the desktop before is there.
 */
export class ConversationStart {
  constructor(
    private readonly messages: MessageRepository,
    private readonly files: FileRepository,
    private readonly client: BytebotdClient,
    private readonly announce: TaskAnnouncer,
  ) {}

  async prepare(task: Task, move?: DesktopMove): Promise<void> {
    const history = await this.messages.list(task.id);
    if (history.length === 0) {
      const attached = await this.placeAttachments(task.id);
      const opening =
        attached.length > 0
          ? `${task.description}\n\nAttached files: ${attached.join(', ')}`
          : task.description;
      this.announce.message(await this.messages.append(task.id, 'user', [{ type: 'text', text: opening }]));
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
      const text = move ? unansweredOnMovedDesktop(move) : interrupted;
      this.announce.message(
        await this.messages.append(
          task.id,
          'user',
          unanswered.map((block) => note(block.id, text, true, block.toolset_name)),
        ),
      );
    }
    if (move) {
      // The attachments were put on the desktop before; this one has never seen them.
      const attached = await this.placeAttachments(task.id);
      this.announce.message(
        await this.messages.append(task.id, 'user', [{ type: 'text', text: movedMessage(move, attached) }]),
      );
    }
  }

  /** Puts the task's attachments on the desktop (~/Desktop, where a person sees them too); returns their paths. */
  private async placeAttachments(taskId: string): Promise<string[]> {
    const paths: string[] = [];
    for (const file of await this.files.listForTask(taskId)) {
      if (!file.data) continue;
      const written = await this.client.writeFile(`Desktop/${file.name}`, file.data);
      paths.push(written.path);
    }
    return paths;
  }
}
