import type { Desktop, DesktopState } from '@bytebot/protocol';

/** A desktop's state in words: what a person reads, never a colour alone. */
export const desktopStateWords: Record<DesktopState, string> = {
  idle: 'Idle',
  busy: 'Running a task',
  'taken-over': 'Taken over by a person',
  down: 'Down',
};

/** How long ago a heartbeat was, in words ("4 seconds ago", "2 minutes ago"). */
export function describeLastSeen(desktop: Pick<Desktop, 'lastSeenAt'>, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(desktop.lastSeenAt)) / 1000));
  const [count, unit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3600
        ? [Math.floor(seconds / 60), 'minute']
        : seconds < 86_400
          ? [Math.floor(seconds / 3600), 'hour']
          : [Math.floor(seconds / 86_400), 'day'];
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}
