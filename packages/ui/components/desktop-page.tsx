'use client';

import { type AgentTask, finishedTaskStatuses } from '@bytebot/protocol';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { describeLastSeen } from '../lib/desktop-state';
import { useLiveEvents } from '../lib/live-events';
import { useDesktops } from '../lib/use-desktops';
import { DesktopStateLine } from './desktop-card';
import { DesktopView } from './desktop-view';

/**
 * One desktop of the fleet, live: view-only at first. While it runs a task, **Take over** is the task's
 * takeover (the model pauses, wherever it runs; the agent relays it) and **Hand back** its resume; an idle
 * desktop can simply be used.
 */
export function DesktopPage({ id }: { id: string }) {
  const { desktops, readAt, error } = useDesktops();
  const desktop = desktops?.find((candidate) => candidate.id === id);
  const taskId = desktop?.taskId ?? null;
  const [task, setTask] = useState<AgentTask | undefined>();
  const [usingIdle, setUsingIdle] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | undefined>();

  useEffect(() => {
    let current = true;
    setTask(undefined);
    if (taskId === null) return;
    api.getTask(taskId).then(
      ({ messages: _messages, ...found }) => current && setTask(found),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [taskId]);

  // The task's control changes from this page, its own page or another UI: the event says so at once.
  useLiveEvents({
    taskUpdated: (update) => {
      if (update.id === taskId) setTask(update);
    },
  });

  if (!desktops) {
    return error ? (
      <p className="error" role="alert">
        Could not load the desktops: {error}
      </p>
    ) : (
      <p className="muted" role="status">
        Loading the desktop…
      </p>
    );
  }
  if (!desktop) {
    return (
      <div className="desktop-detail">
        <h1>Desktop {id}</h1>
        <p className="error" role="alert">
          No desktop named {id} is registered in the fleet.
        </p>
        <Link href="/desktops" className="back-link">
          All desktops
        </Link>
      </div>
    );
  }

  const running = task !== undefined && task.id === taskId && !finishedTaskStatuses.has(task.status);
  const interactive = running ? task.control === 'USER' : taskId === null && usingIdle;

  async function toggleControl() {
    if (busy) return;
    if (!running || !task) {
      setUsingIdle((using) => !using);
      return;
    }
    setBusy(true);
    try {
      setTask(await (interactive ? api.handBack(task.id) : api.takeOver(task.id)));
      setActionError(undefined);
    } catch (caught) {
      setActionError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const down = desktop.state === 'down';
  return (
    <div className="desktop-detail">
      <p className="back">
        <Link href="/desktops" className="back-link">
          All desktops
        </Link>
      </p>
      <header className="task-header">
        <h1>Desktop {desktop.id}</h1>
        <p className="desktop-facts">
          <DesktopStateLine desktop={desktop} taskDescription={task?.description} />
          <span className="desktop-meta">
            Last seen <time dateTime={desktop.lastSeenAt}>{describeLastSeen(desktop, readAt)}</time> · agent{' '}
            {desktop.agentId}
          </span>
        </p>
        {!down && (running || taskId === null) && (
          <div className="controls">
            {/* One button whose job changes, so focus stays on it; aria-disabled keeps the focus too. */}
            <button
              type="button"
              className={interactive ? 'primary' : undefined}
              aria-disabled={busy}
              onClick={toggleControl}
            >
              {running
                ? interactive
                  ? 'Hand back to Bytebot'
                  : 'Take over'
                : interactive
                  ? 'Stop using it'
                  : 'Use this desktop'}
            </button>
          </div>
        )}
        {running && !interactive && (
          <p className="hint">Taking over pauses the task: the model waits until you hand it back.</p>
        )}
        {!running && taskId === null && !down && (
          <p className="hint">No task runs here. A task may start on it while you use it.</p>
        )}
        {actionError && (
          <p className="error" role="alert">
            {actionError}
          </p>
        )}
      </header>
      {down ? (
        <p className="card desktop-down" role="status">
          Desktop {desktop.id} is down: its agent cannot reach it, or has stopped. There is no live view until
          it is back.
        </p>
      ) : (
        <DesktopView
          desktopId={desktop.id}
          interactive={interactive}
          title={`The live desktop ${desktop.id}`}
        />
      )}
    </div>
  );
}
