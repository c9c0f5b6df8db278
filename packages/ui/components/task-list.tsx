'use client';

import type { AgentTask } from '@bytebot/protocol';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api';
import { useLiveEvents } from '../lib/live-events';
import { TaskRow } from './task-row';

const recentCount = 10;

function sortNewestFirst(tasks: AgentTask[]): AgentTask[] {
  return [...tasks].sort((first, second) => second.createdAt.localeCompare(first.createdAt));
}

/** The most recent tasks, kept current by the agent's events; the Tasks page has the rest. */
export function TaskList() {
  const [tasks, setTasks] = useState<AgentTask[] | undefined>();
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(() => {
    api.listTasks({ limit: recentCount }).then(
      (page) => {
        setTasks(page.tasks);
        setTotal(page.total);
        setError(undefined);
      },
      (caught: Error) => setError(caught.message),
    );
  }, []);

  useEffect(load, [load]);

  useLiveEvents({
    taskCreated: (task) => {
      setTasks((current) =>
        sortNewestFirst([task, ...(current ?? []).filter((item) => item.id !== task.id)]).slice(
          0,
          recentCount,
        ),
      );
      setTotal((current) => current + 1);
    },
    taskUpdated: (task) => setTasks((current) => current?.map((item) => (item.id === task.id ? task : item))),
    taskDeleted: load,
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
    <>
      <ul className="task-list">
        {tasks.map((task) => (
          <TaskRow key={task.id} task={task} />
        ))}
      </ul>
      {total > tasks.length && (
        <p className="more">
          <Link href="/tasks">See all {total.toLocaleString()} tasks</Link>
        </p>
      )}
    </>
  );
}
