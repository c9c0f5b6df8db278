'use client';

import type { AgentClientEvents, AgentMessage, AgentServerEvents, AgentTask } from '@bytebot/protocol';
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';

export interface LiveHandlers {
  taskCreated?: (task: AgentTask) => void;
  taskUpdated?: (task: AgentTask) => void;
  /** The deleted task's id (the original agent's shape). */
  taskDeleted?: (taskId: string) => void;
  newMessage?: (message: AgentMessage) => void;
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
    const socket: Socket<AgentServerEvents, AgentClientEvents> = io({
      path: '/api/agent/socket.io',
      transports: ['websocket'],
    });
    socket.on('connect', () => {
      setConnected(true);
      // Whatever happened between the page's first load and this moment reaches it through one fetch.
      if (taskId) socket.emit('join_task', taskId, () => latest.current.connected?.());
      else latest.current.connected?.();
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('task_created', (task) => latest.current.taskCreated?.(task));
    socket.on('task_updated', (task) => latest.current.taskUpdated?.(task));
    socket.on('task_deleted', (taskId) => latest.current.taskDeleted?.(taskId));
    socket.on('new_message', (message) => latest.current.newMessage?.(message));
    return () => {
      socket.close();
    };
  }, [taskId]);

  return connected;
}
