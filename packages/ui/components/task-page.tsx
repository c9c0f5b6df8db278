'use client';

import { type AgentMessage, type AgentTask, finishedTaskStatuses, type TaskControl } from '@bytebot/protocol';
import { useRouter } from 'next/navigation';
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, retryTask } from '../lib/api';
import { readControlMoments, saveControlMoments } from '../lib/control-moments';
import { useLiveEvents } from '../lib/live-events';
import { replaySteps } from '../lib/replay-steps';
import { isSendKey } from '../lib/send-key';
import { isSecretStep } from '../lib/step-details';
import { useScreenSize } from '../lib/use-screen-size';
import { stepIndexAttribute, useStepInView } from '../lib/use-step-in-view';
import type { ControlMoment } from './control-card';
import { Conversation } from './conversation';
import { DesktopView } from './desktop-view';
import { ReplayPane } from './replay-pane';
import { StatusBadge } from './status-badge';
import { StatusBanners } from './status-banners';
import { WorkingStatus } from './working-status';

/**
 * The live view of the desktop the task runs on (or last ran on), wherever in the fleet that is: the agent
 * the UI is connected to reaches it. A task no desktop has taken yet has none to show.
 */
function TaskDesktop({ task, interactive }: { task: AgentTask; interactive: boolean }) {
  if (task.desktopId === null) {
    return (
      <div className="desktop-view view-only">
        <div className="desktop-frame desktop-placeholder">
          <p>
            {finishedTaskStatuses.has(task.status)
              ? 'This task ran on no desktop known here.'
              : 'Waiting for a desktop to take this task…'}
          </p>
        </div>
      </div>
    );
  }
  return (
    <DesktopView
      desktopId={task.desktopId}
      interactive={interactive}
      title={`The live desktop ${task.desktopId}`}
    />
  );
}

/** Messages from a fetch and from events, each once, in conversation order (either may be the later). */
function mergeMessages(messages: AgentMessage[], more: AgentMessage[]): AgentMessage[] {
  const known = new Set(messages.map((message) => message.id));
  const added = more.filter((message) => !known.has(message.id));
  if (added.length === 0) return messages;
  return [...messages, ...added].sort((first, second) => first.sequence - second.sequence);
}

/** Scrolls a conversation that scrolls by itself so the step shows; the page itself never jumps. */
function revealStep(scroller: HTMLElement | null, index: number): void {
  if (!scroller || scroller.scrollHeight <= scroller.clientHeight + 1) return;
  const card = scroller.querySelector<HTMLElement>(`[${stepIndexAttribute}="${index}"]`);
  if (!card) return;
  const top = card.offsetTop - scroller.offsetTop;
  if (top < scroller.scrollTop) scroller.scrollTop = top - 8;
  else if (top + card.offsetHeight > scroller.scrollTop + scroller.clientHeight)
    scroller.scrollTop = top + card.offsetHeight - scroller.clientHeight + 8;
}

export function TaskPage({ id }: { id: string }) {
  const router = useRouter();
  const [task, setTask] = useState<AgentTask | undefined>();
  const [messages, setMessages] = useState<AgentMessage[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  const [moments, setMoments] = useState<ControlMoment[]>([]);
  const [revealSecrets, setRevealSecrets] = useState(false);
  const [chosenView, setChosenView] = useState<'live' | 'replay' | undefined>();
  const [stepInView, setStepInView] = useState<number | undefined>();
  const heading = useRef<HTMLHeadingElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const lastControl = useRef<TaskControl | undefined>(undefined);
  const lastUpdate = useRef<string | undefined>(undefined);
  // Whether the conversation drives the replay (a person scrolls it) or the scrubber and play do.
  const conversationLeads = useRef(true);

  useEffect(() => setMoments(readControlMoments(id)), [id]);

  /**
   * Every new state of the task passes here, so a change of hands becomes a card in the conversation. A
   * state older than one already seen (a fetch that was overtaken by an event) changes nothing.
   */
  const receiveTask = useCallback(
    (next: AgentTask) => {
      if (lastUpdate.current && next.updatedAt < lastUpdate.current) return;
      lastUpdate.current = next.updatedAt;
      const before = lastControl.current;
      lastControl.current = next.control;
      if (before && before !== next.control) {
        setMoments((current) => {
          const updated = [...current, { control: next.control, at: next.updatedAt }];
          saveControlMoments(id, updated);
          return updated;
        });
      }
      setTask(next);
    },
    [id],
  );

  const load = useCallback(() => {
    api.getTask(id).then(
      ({ messages: loaded, ...loadedTask }) => {
        receiveTask(loadedTask);
        setMessages((current) => mergeMessages(loaded, current));
        setError(undefined);
      },
      (caught: Error) => setError(caught.message),
    );
  }, [id, receiveTask]);

  useEffect(load, [load]);

  const connected = useLiveEvents(
    {
      taskUpdated: (update) => {
        if (update.id === id) receiveTask(update);
      },
      newMessage: (message) => {
        if (message.taskId === id) setMessages((current) => mergeMessages(current, [message]));
      },
      connected: load,
    },
    id,
  );

  const steps = useMemo(() => replaySteps(messages), [messages]);
  const secretSteps = useMemo(
    () =>
      new Set(steps.filter((step) => isSecretStep(step, steps[step.index - 1])).map((step) => step.index)),
    [steps],
  );
  const screen = useScreenSize(task?.desktopId);

  useStepInView(scroller, steps.length, (index) => {
    if (conversationLeads.current) setStepInView(index);
  });

  const selectStep = useCallback((index: number) => {
    conversationLeads.current = false;
    setStepInView(index);
    revealStep(scroller.current, index);
  }, []);

  // New messages: a conversation that scrolls by itself follows its end, as a chat does.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when a message arrives.
  useEffect(() => {
    const element = scroller.current;
    if (element && conversationLeads.current) element.scrollTop = element.scrollHeight;
  }, [messages.length]);

  async function act(action: () => Promise<AgentTask>, then?: (task: AgentTask) => void) {
    if (busy) return;
    setBusy(true);
    try {
      const updated = await action();
      receiveTask(updated);
      setError(undefined);
      then?.(updated);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function sendReply(event?: FormEvent) {
    event?.preventDefault();
    if (reply.trim() === '' || busy) return;
    setBusy(true);
    try {
      await api.sendMessage(id, reply.trim());
      setReply('');
      setError(undefined);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function retry() {
    if (!task) return;
    setBusy(true);
    try {
      const created = await retryTask(task);
      router.push(`/tasks/${created.id}`);
    } catch (caught) {
      setError((caught as Error).message);
      setBusy(false);
    }
  }

  if (!task) {
    return error ? (
      <p className="error" role="alert">
        {error}
      </p>
    ) : (
      <p className="muted" role="status">
        Loading the task…
      </p>
    );
  }
  const finished = finishedTaskStatuses.has(task.status);
  const userHasControl = task.control === 'USER';
  const view = userHasControl ? 'live' : (chosenView ?? (finished ? 'replay' : 'live'));
  const lastStep = steps.length - 1;
  const currentStep = Math.min(Math.max(stepInView ?? lastStep, 0), Math.max(lastStep, 0));
  return (
    <div className="task-page">
      <StatusBanners refreshKey={connected} />
      <section className="task-panel" aria-label="The task">
        <header className="task-header">
          <h1 ref={heading} tabIndex={-1}>
            {task.description}
          </h1>
          <div className="task-facts">
            <StatusBadge status={task.status} />
            <span className="muted" data-usage>
              {task.inputTokens.toLocaleString()} tokens in · {task.outputTokens.toLocaleString()} out
              {task.cacheReadTokens > 0 ? ` · ${task.cacheReadTokens.toLocaleString()} from cache` : ''}
              {task.steps ? ` · ${task.steps} steps` : ''}
              {task.costUsd ? ` · $${task.costUsd.toFixed(4)}` : ''}
            </span>
          </div>
          {task.error && (
            <p className={task.status === 'NEEDS_HELP' ? 'help-request' : 'error'}>{task.error}</p>
          )}
          {task.result?.summary && task.status === 'COMPLETED' && (
            <p className="result-summary">{task.result.summary}</p>
          )}
          <div className="controls">
            {finished ? (
              <>
                <button type="button" disabled={busy} onClick={retry}>
                  Run again as a new task
                </button>
                {/* The UI server adds the credentials; the browser only follows a same-origin link. */}
                <a className="button" href={`/api/agent/tasks/${id}/trajectory`} download>
                  Download trajectory
                </a>
              </>
            ) : (
              <>
                {/* One button whose job changes, so focus stays on it after taking over or handing back. */}
                <button
                  type="button"
                  className={userHasControl ? 'primary' : undefined}
                  // aria-disabled, not disabled: a disabled button loses focus, and focus is to stay here.
                  aria-disabled={busy}
                  onClick={() => act(() => (userHasControl ? api.handBack(id) : api.takeOver(id)))}
                >
                  {userHasControl ? 'Hand back to Bytebot' : 'Take over'}
                </button>
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() =>
                    act(
                      () => api.cancel(id),
                      () => heading.current?.focus(),
                    )
                  }
                >
                  Cancel task
                </button>
              </>
            )}
          </div>
        </header>
        <WorkingStatus task={task} />
        <Conversation
          messages={messages}
          steps={steps}
          currentStep={view === 'replay' ? currentStep : undefined}
          secretSteps={secretSteps}
          revealSecrets={revealSecrets}
          onRevealSecrets={setRevealSecrets}
          controlMoments={moments}
          scroller={scroller}
          onReadingScroll={() => {
            conversationLeads.current = true;
          }}
        />
        {task.status !== 'CANCELLED' && (
          <form className="reply" onSubmit={sendReply}>
            <label htmlFor="reply" className="visually-hidden">
              Message to Bytebot
            </label>
            <textarea
              id="reply"
              name="reply"
              rows={1}
              placeholder={
                task.status === 'NEEDS_HELP'
                  ? 'Answer Bytebot to let it go on…'
                  : finished
                    ? 'Ask for more: the task goes on…'
                    : 'Send Bytebot a message…'
              }
              aria-describedby="reply-keys"
              value={reply}
              onChange={(event) => setReply(event.target.value)}
              onKeyDown={(event) => {
                if (!isSendKey(event)) return;
                event.preventDefault();
                void sendReply();
              }}
            />
            <button type="submit" disabled={busy || reply.trim() === ''}>
              Send
            </button>
            <p id="reply-keys" className="hint visually-hidden">
              Enter sends; Shift+Enter adds a line.
            </p>
          </form>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      <section className="desktop-panel" aria-label="The desktop">
        <div className="pane-switch">
          <p className="pane-title">
            {view === 'replay'
              ? 'Replay: the desktop at each step'
              : `The live desktop${task.desktopId ? `: ${task.desktopId}` : ''}`}
          </p>
          {view === 'replay' ? (
            <button type="button" onClick={() => setChosenView('live')}>
              Show the live desktop
            </button>
          ) : (
            steps.length > 0 &&
            !userHasControl && (
              <button type="button" onClick={() => setChosenView('replay')}>
                Replay the steps
              </button>
            )
          )}
        </div>
        {view === 'replay' ? (
          <ReplayPane
            steps={steps}
            current={currentStep}
            onSelect={selectStep}
            screen={screen}
            secretSteps={secretSteps}
            revealSecrets={revealSecrets}
          />
        ) : (
          <TaskDesktop task={task} interactive={userHasControl} />
        )}
      </section>
    </div>
  );
}
