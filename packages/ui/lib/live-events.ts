'use client';

import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { MessageView, TaskView } from './api';

export interface LiveHandlers {
  taskCreated?: (task: TaskView) => void;
  taskUpdated?: (task: TaskView) => void;
  taskDeleted?: (task: { id: string }) => void;
  newMessage?: (message: MessageView) => void;
  /** Called once connected (and joined), to fetch what changed before the events could arrive. */
  connected?: () => void;
}

/**
 * The agent's socket.io events, through the UI server (which adds the token). Pages update from these
 * alone: no polling, no reloads.
 */
export function useLiveEvents(handlers: LiveHandlers, taskId?: string): boolean {
  const [connected, setConnected] = useState(false);
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    const socket: Socket = io({ path: '/api/agent/socket.io', transports: ['websocket'] });
    socket.on('connect', () => {
      setConnected(true);
      // Whatever happened between the page's first load and this moment reaches it through one fetch.
      if (taskId) socket.emit('join_task', taskId, () => latest.current.connected?.());
      else latest.current.connected?.();
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('task_created', (task: TaskView) => latest.current.taskCreated?.(task));
    socket.on('task_updated', (task: TaskView) => latest.current.taskUpdated?.(task));
    socket.on('task_deleted', (task: { id: string }) => latest.current.taskDeleted?.(task));
    socket.on('new_message', (message: MessageView) => latest.current.newMessage?.(message));
    return () => {
      socket.close();
    };
  }, [taskId]);

  return connected;
}
