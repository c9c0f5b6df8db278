import type { Desktop } from '@bytebot/protocol';
import Link from 'next/link';
import { describeLastSeen, desktopStateWords } from '../lib/desktop-state';
import { DesktopThumbnail } from './desktop-thumbnail';

/** A desktop's state in words, with a link to the task it runs. */
export function DesktopStateLine({
  desktop,
  taskDescription,
}: {
  desktop: Desktop;
  taskDescription: string | undefined;
}) {
  return (
    <span className="desktop-state" data-state={desktop.state}>
      <span className={`state-dot state-${desktop.state}`} aria-hidden="true" />
      <span className="desktop-state-words">{desktopStateWords[desktop.state]}</span>
      {desktop.taskId && (
        <>
          {': '}
          <Link href={`/tasks/${desktop.taskId}`} className="desktop-task">
            {taskDescription ?? `task ${desktop.taskId.slice(0, 8)}`}
          </Link>
        </>
      )}
    </span>
  );
}

/** One desktop of the fleet: its screen now (a link to its live view), its state, its task, its heartbeat. */
export function DesktopCard({
  desktop,
  taskDescription,
  now,
}: {
  desktop: Desktop;
  taskDescription: string | undefined;
  now: number;
}) {
  const down = desktop.state === 'down';
  return (
    <li className="desktop-card" data-desktop-id={desktop.id} data-state={desktop.state}>
      <Link href={`/desktops/${encodeURIComponent(desktop.id)}`} className="desktop-card-link">
        <DesktopThumbnail desktopId={desktop.id} down={down} />
        <span className="desktop-name">
          {desktop.id}
          <span className="visually-hidden">: {down ? 'details' : 'open its live view'}</span>
        </span>
      </Link>
      <DesktopStateLine desktop={desktop} taskDescription={taskDescription} />
      <span className="desktop-meta">
        Last seen <time dateTime={desktop.lastSeenAt}>{describeLastSeen(desktop, now)}</time>
        {desktop.screen ? ` · ${desktop.screen.width}×${desktop.screen.height}` : ''} · agent{' '}
        {desktop.agentId}
      </span>
    </li>
  );
}
