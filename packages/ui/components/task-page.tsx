'use client';

import { type AgentMessage, type AgentTask, finishedTaskStatuses } from '@bytebot/protocol';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../lib/api';
import { useLiveEvents } from '../lib/live-events';
import { Conversation } from './conversation';
import { DesktopView } from './desktop-view';
import { StatusBadge } from './status-badge';
import { StatusBanners } from './status-banners';

function addMessage(messages: AgentMessage[], message: AgentMessage): AgentMessage[] {
  if (messages.some((existing) => existing.id === message.id)) return messages;
  return [...messages, message].sort((first, second) => first.sequence - second.sequence);
}

export function TaskPage({ id }: { id: string }) {
  const [task, setTask] = useState<AgentTask | undefined>();
  const [messages, setMessages] = useState<AgentMessage[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  const bottom = useRef<HTMLDivElement>(null);

  const load = useCallback(() => {
    api.getTask(id).then(
      ({ messages: loaded, ...loadedTask }) => {
        setTask(loadedTask);
        setMessages(loaded);
        setError(undefined);
      },
      (caught: Error) => setError(caught.message),
    );
  }, [id]);

  useEffect(load, [load]);

  const connected = useLiveEvents(
    {
      taskUpdated: (update) => {
        if (update.id === id) setTask(update);
      },
      newMessage: (message) => {
        if (message.taskId === id) setMessages((current) => addMessage(current, message));
      },
      connected: load,
    },
    id,
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when a message arrives.
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  async function act(action: () => Promise<AgentTask>) {
    setBusy(true);
    try {
      setTask(await action());
      setError(undefined);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function sendReply(event: FormEvent) {
    event.preventDefault();
    if (reply.trim() === '') return;
    setBusy(true);
    try {
      await api.sendMessage(id, reply.trim());
      setReply('');
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!task) {
    return error ? (
      <p className="error" role="alert">
        {error}
      </p>
    ) : (
      <p className="muted">Loading the task…</p>
    );
  }
  const finished = finishedTaskStatuses.has(task.status);
  const userHasControl = task.control === 'USER';
  return (
    <div className="task-page">
      <StatusBanners refreshKey={connected} />
      <section className="task-panel">
        <header className="task-header">
          <h1>{task.description}</h1>
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
          {finished && (
            <div className="controls">
              {/* The UI server adds the credentials; the browser only follows a same-origin link. */}
              <a className="button" href={`/api/agent/tasks/${id}/trajectory`} download>
                Download trajectory
              </a>
            </div>
          )}
          {!finished && (
            <div className="controls">
              {userHasControl ? (
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  onClick={() => act(() => api.handBack(id))}
                >
                  Hand back to Bytebot
                </button>
              ) : (
                <button type="button" disabled={busy} onClick={() => act(() => api.takeOver(id))}>
                  Take over
                </button>
              )}
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => act(() => api.cancel(id))}
              >
                Cancel task
              </button>
            </div>
          )}
        </header>
        <Conversation messages={messages} />
        <div ref={bottom} />
        {task.status !== 'CANCELLED' && (
          <form className="reply" onSubmit={sendReply}>
            <input
              name="reply"
              placeholder={
                task.status === 'NEEDS_HELP' ? 'Answer Bytebot to let it go on…' : 'Send Bytebot a message…'
              }
              value={reply}
              onChange={(event) => setReply(event.target.value)}
            />
            <button type="submit" disabled={busy || reply.trim() === ''}>
              Send
            </button>
          </form>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      <section className="desktop-panel">
        <DesktopView interactive={userHasControl} title="The live desktop" />
      </section>
    </div>
  );
}
