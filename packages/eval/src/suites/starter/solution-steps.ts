import type { SolutionStep } from '../../eval-task.ts';

/**
 * A pause in a solution. The screenshot after an action is taken once the screen has been still for a
 * moment, which can come before an application has acted on the key (a dialog about to open or close,
 * a file being written): the next key would then reach the wrong window, or the checker read too early.
 */
export const pause = (duration = 600): SolutionStep => ({ action: 'wait', duration });

/** One key or chord, e.g. press('ctrl', 's'). */
export const press = (...keys: string[]): SolutionStep => ({ action: 'type_keys', keys });

/**
 * Opens an application, or brings its window to the front, and lets the window manager give it the
 * keyboard: the action returns once the window exists, which can be a moment before keys reach it.
 */
export const openApplication = (
  application: 'terminal' | 'firefox' | 'text_editor' | 'file_manager',
): SolutionStep[] => [{ action: 'application', application }, pause(400)];
