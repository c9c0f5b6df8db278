'use client';

import type { AgentTask } from '@bytebot/protocol';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api';
import { useLiveEvents } from '../lib/live-events';
import { StatusBadge } from './status-badge';

function sortNewestFirst(tasks: AgentTask[]): AgentTask[] {
  return [...tasks].sort((first, second) => second.createdAt.localeCompare(first.createdAt));
}

/** The recent tasks, kept current by the agent's events. */
export function TaskList() {
  const [tasks, setTasks] = useState<AgentTask[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(() => {
    api.listTasks().then(
      (page) => {
        setTasks(page.tasks);
        setError(undefined);
      },
      (caught: Error) => setError(caught.message),
    );
  }, []);

  useEffect(load, [load]);

  useLiveEvents({
    taskCreated: (task) =>
      setTasks((current) =>
        sortNewestFirst([task, ...(current ?? []).filter((item) => item.id !== task.id)]),
      ),
    taskUpdated: (task) => setTasks((current) => current?.map((item) => (item.id === task.id ? task : item))),
    taskDeleted: (id) => setTasks((current) => current?.filter((item) => item.id !== id)),
    connected: load,
  });

  if (error) {
    return (
      <p className="error" role="alert">
        Could not load the tasks: {error}
      </p>
    );
  }
  if (!tasks) return <p className="muted">Loading tasks…</p>;
  if (tasks.length === 0) {
    return (
      <div className="empty card" data-empty="tasks">
        <p>No tasks yet.</p>
        <p className="muted">Describe one above: Bytebot will carry it out on the desktop while you watch.</p>
      </div>
    );
  }
  return (
    <ul className="task-list">
      {tasks.map((task) => (
        <li key={task.id}>
          <Link href={`/tasks/${task.id}`} className="task-row" data-task-id={task.id}>
            <span className="task-description">{task.description}</span>
            <span className="task-meta">
              <StatusBadge status={task.status} />
              <time dateTime={task.createdAt}>{new Date(task.createdAt).toLocaleString()}</time>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
