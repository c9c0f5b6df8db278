/** A task that goes on on another desktop of the fleet than the one it ran on before. */
export interface DesktopMove {
  from: string;
  to: string;
  /** Why it left the desktop before, when it did not just end there: "stopped answering", "stopped". */
  why: string | undefined;
}

const waitingNote = '; the task waits for another desktop';

/**
 * The task's error while it waits to go on elsewhere: what happened to its desktop (`what` starts with
 * "stopped answering" or "stopped"), and that it is not stuck.
 */
export function handOffNote(desktopId: string, what: string): string {
  return `desktop ${desktopId} ${what}${waitingNote}`;
}

export function isHandOffNote(error: string | null): boolean {
  return error?.endsWith(waitingNote) ?? false;
}

/**
 * Whether the task claimed now goes on on another desktop: it ran on one before, not this one. `wasRunning`
 * says its previous run never ended (the agent running it died).
 */
export function desktopMoveOf(
  task: { desktopId: string | null; error: string | null },
  wasRunning: boolean,
  desktopId: string | undefined,
): DesktopMove | undefined {
  if (!desktopId || !task.desktopId || task.desktopId === desktopId) return undefined;
  let why: string | undefined;
  if (wasRunning || (isHandOffNote(task.error) && task.error?.includes(' stopped answering'))) {
    why = 'stopped answering';
  } else if (isHandOffNote(task.error)) {
    why = 'stopped';
  }
  return { from: task.desktopId, to: desktopId, why };
}

/** The result of a call the previous desktop never answered. */
export function unansweredOnMovedDesktop(move: DesktopMove): string {
  return (
    `Desktop ${move.from} ${move.why ?? 'stopped'} before this action finished; it may or may not have happened ` +
    `there. The task now runs on desktop ${move.to}: see the next message.`
  );
}

/** What the model is told before its first step on the new desktop. */
export function movedMessage(move: DesktopMove, attached: string[]): string {
  const why = move.why ? `, which ${move.why},` : '';
  const files =
    attached.length > 0 ? ` The task's attached files were placed here again: ${attached.join(', ')}.` : '';
  return (
    `This task moved from desktop ${move.from}${why} to desktop ${move.to}. It is a different desktop: the ` +
    'windows, applications and files of before are not present here, and nothing done there carries over.' +
    `${files} Take a screenshot first to see this desktop, then go on with the task from here.`
  );
}
