'use client';

import type { DesktopState } from '@bytebot/protocol';
import { desktopStateWords } from '../lib/desktop-state';
import { useDesktops } from '../lib/use-desktops';
import { useTaskDescriptions } from '../lib/use-task-descriptions';
import { DesktopCard } from './desktop-card';
import { StatusBanners } from './status-banners';

const stateOrder: DesktopState[] = ['busy', 'taken-over', 'idle', 'down'];

/** "3 desktops: 1 running a task, 2 idle" */
function summary(states: DesktopState[]): string {
  const counts = stateOrder
    .map((state) => [state, states.filter((each) => each === state).length] as const)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${desktopStateWords[state].toLowerCase()}`);
  const total = `${states.length} desktop${states.length === 1 ? '' : 's'}`;
  return counts.length > 0 ? `${total}: ${counts.join(', ')}` : total;
}

/**
 * Every desktop of the fleet, as the agent the UI is connected to sees them all: each one's screen now
 * (refreshed every few seconds), its state in words, the task it runs and its last heartbeat. A desktop
 * opens its live view.
 */
export function DesktopsPage() {
  const { desktops, readAt, error } = useDesktops();
  const descriptions = useTaskDescriptions((desktops ?? []).map((desktop) => desktop.taskId));

  return (
    <div className="desktops-page">
      <StatusBanners />
      <h1>Desktops</h1>
      {desktops && desktops.length > 0 && (
        <p className="muted" data-summary>
          {summary(desktops.map((desktop) => desktop.state))}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          Could not load the desktops: {error}
        </p>
      )}
      {desktops === undefined && !error && (
        <p className="muted" role="status">
          Loading the desktops…
        </p>
      )}
      {desktops?.length === 0 && (
        <p className="card empty" data-empty="desktops">
          No desktop has registered yet: each agent registers its desktop when it starts.
        </p>
      )}
      {desktops && desktops.length > 0 && (
        <ul className="desktop-grid" aria-label="Desktops">
          {desktops.map((desktop) => (
            <DesktopCard
              key={desktop.id}
              desktop={desktop}
              taskDescription={desktop.taskId ? descriptions.get(desktop.taskId) : undefined}
              now={readAt}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
