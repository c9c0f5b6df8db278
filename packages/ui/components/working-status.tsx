'use client';

import type { AgentTask } from '@bytebot/protocol';
import { useEffect, useState } from 'react';
import { describeElapsed, formatElapsed } from '../lib/format';

/** Ticks once a second while mounted. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function Elapsed({ since }: { since: string }) {
  const elapsed = useNow() - new Date(since).getTime();
  // role="timer" is not announced as it ticks; the words are there for whoever reads it.
  return (
    <span role="timer" className="elapsed" aria-label={describeElapsed(elapsed)}>
      {formatElapsed(elapsed)}
    </span>
  );
}

/** What the task is doing right now, in words (the colour of the dot only repeats them). */
export function WorkingStatus({ task }: { task: AgentTask }) {
  if (task.status === 'PENDING') {
    return (
      <p className="working" data-working="waiting" role="status">
        <span className="working-dot waiting" aria-hidden="true" />
        Waiting for the desktop to start the task…
      </p>
    );
  }
  if (task.status !== 'RUNNING') return null;
  if (task.control === 'USER') {
    return (
      <p className="working" data-working="person" role="status">
        <span className="working-dot person" aria-hidden="true" />
        You have the desktop. Bytebot waits until you hand it back.
      </p>
    );
  }
  return (
    <p className="working" data-working="running">
      <span className="working-dot running" aria-hidden="true" />
      <span role="status">Bytebot is working…</span> <Elapsed since={task.executedAt ?? task.createdAt} />
    </p>
  );
}
