import type { ControlMoment } from '../components/control-card';

/**
 * The moments a page saw the desktop change hands are not stored by the agent; the browser tab keeps them
 * (sessionStorage), so a reload of the task page still shows them.
 */
const key = (taskId: string) => `bytebot-control-moments-${taskId}`;

export function readControlMoments(taskId: string): ControlMoment[] {
  try {
    const stored = JSON.parse(sessionStorage.getItem(key(taskId)) ?? '[]') as unknown;
    return Array.isArray(stored) ? (stored as ControlMoment[]) : [];
  } catch {
    return [];
  }
}

export function saveControlMoments(taskId: string, moments: ControlMoment[]): void {
  try {
    sessionStorage.setItem(key(taskId), JSON.stringify(moments));
  } catch {
    // Storage full or refused: the cards last as long as the page.
  }
}
