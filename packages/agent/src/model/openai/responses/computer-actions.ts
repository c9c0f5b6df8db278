import {
  type ComputerAction,
  type ComputerActionInput,
  computerActionSchema,
  describeValidationIssues,
  limits,
  resolveKey,
} from '@bytebot/protocol';
import type OpenAI from 'openai';
import { describeAction } from '../../describe-action.ts';

/** One action of a `computer_call`, as the SDK types it (the batched `actions[]` and the legacy `action`). */
export type OpenAIComputerAction = OpenAI.Responses.ComputerAction;

export type TranslatedActions = { actions: ComputerAction[] } | { error: string };

/**
 * The guide's handlers (https://developers.openai.com/api/docs/guides/tools-computer-use) turn scroll
 * distances into wheel clicks as `max(1, abs(round(delta / 100)))`, and wait 2 s for `wait`.
 */
const pixelsPerWheelClick = 100;
const waitMs = 2000;

/**
 * Mouse buttons 8 and 9 are Back and Forward; our desktop presses buttons 1-3 only, so these go as the
 * keys browsers and file managers take for the same commands.
 */
const navigationKeys = { back: 'XF86Back', forward: 'XF86Forward' } as const;

const modifierNames = new Set(['Control_L', 'Control_R', 'Alt_L', 'Alt_R', 'Super_L', 'Super_R', 'Meta_L']);
const shiftNames = new Set(['Shift_L', 'Shift_R']);

/**
 * Key names as the model writes them (`CTRL`, `ARROWLEFT`, `ENTER`, `PAGEDOWN`, `META`), as X keysym
 * names: the guide tells clients to "add a small normalization helper" for them; our key table takes
 * these spellings case-insensitively. "CTRL+S" written as one string is split. A capital letter beside a
 * modifier means the key, not the capital (sent as it is, it would add Shift: Control+Shift+S); with Shift
 * in the chord, or on its own, it stays.
 */
export function normalizeKeys(written: readonly string[]): { keys: string[] } | { error: string } {
  const split = written.flatMap((key) => (key.length > 1 && key.includes('+') ? key.split('+') : [key]));
  const keys: string[] = [];
  for (const key of split) {
    const resolved = resolveKey(key.trim() === '' ? key : key.trim());
    if (!resolved) return { error: `unknown key "${key}"` };
    keys.push(resolved.name);
  }
  const modified = keys.some((key) => modifierNames.has(key)) && !keys.some((key) => shiftNames.has(key));
  return { keys: modified ? keys.map((key) => (/^[A-Z]$/.test(key) ? key.toLowerCase() : key)) : keys };
}

function point(x: unknown, y: unknown): { x: number; y: number } {
  return { x: Math.round(Number(x)), y: Math.round(Number(y)) };
}

/** A drag path as the SDK types it ({x, y} objects); the guide's helper also accepts [x, y] pairs. */
function pathOf(path: unknown): Array<{ x: number; y: number }> {
  if (!Array.isArray(path)) return [];
  return path.map((entry: unknown) =>
    Array.isArray(entry)
      ? point(entry[0], entry[1])
      : point((entry as { x?: unknown })?.x, (entry as { y?: unknown })?.y),
  );
}

function wheelClicks(pixels: number): number {
  return Math.min(limits.maxScrollCount, Math.max(1, Math.abs(Math.round(pixels / pixelsPerWheelClick))));
}

/** One OpenAI action as our protocol's actions (none for a screenshot: every result brings one). */
function translateOne(action: OpenAIComputerAction): ComputerActionInput[] | { error: string } {
  const held = 'keys' in action && Array.isArray(action.keys) ? normalizeKeys(action.keys) : { keys: [] };
  if ('error' in held) return held;
  const holdKeys = held.keys.length > 0 ? { holdKeys: held.keys } : {};
  switch (action.type) {
    case 'click': {
      if (action.button === 'back' || action.button === 'forward') {
        return [
          { action: 'move_mouse', coordinates: point(action.x, action.y) },
          { action: 'type_keys', keys: [...held.keys, navigationKeys[action.button]] },
        ];
      }
      const button = action.button === 'wheel' ? 'middle' : (action.button ?? 'left');
      return [
        { action: 'click_mouse', coordinates: point(action.x, action.y), button, clickCount: 1, ...holdKeys },
      ];
    }
    case 'double_click':
      return [
        {
          action: 'click_mouse',
          coordinates: point(action.x, action.y),
          button: 'left',
          clickCount: 2,
          ...holdKeys,
        },
      ];
    case 'drag':
      return [{ action: 'drag_mouse', path: pathOf(action.path), button: 'left', ...holdKeys }];
    case 'move':
      // Our move_mouse holds no keys; a path of one point does.
      return held.keys.length > 0
        ? [{ action: 'trace_mouse', path: [point(action.x, action.y)], holdKeys: held.keys }]
        : [{ action: 'move_mouse', coordinates: point(action.x, action.y) }];
    case 'scroll': {
      const coordinates = point(action.x, action.y);
      const vertical = Number(action.scroll_y) || 0;
      const horizontal = Number(action.scroll_x) || 0;
      const scrolls: ComputerActionInput[] = [];
      if (vertical !== 0) {
        scrolls.push({
          action: 'scroll',
          coordinates,
          direction: vertical < 0 ? 'up' : 'down',
          scrollCount: wheelClicks(vertical),
          ...holdKeys,
        });
      }
      if (horizontal !== 0) {
        scrolls.push({
          action: 'scroll',
          coordinates,
          direction: horizontal < 0 ? 'left' : 'right',
          scrollCount: wheelClicks(horizontal),
          ...holdKeys,
        });
      }
      // A scroll of no distance still moves the pointer where the model said.
      return scrolls.length > 0 ? scrolls : [{ action: 'move_mouse', coordinates }];
    }
    case 'type':
      return action.text === '' ? [] : [{ action: 'type_text', text: action.text }];
    case 'keypress': {
      // "The combination of keys the model is requesting to be pressed" (the SDK): one chord.
      const keys = normalizeKeys(action.keys ?? []);
      return 'error' in keys ? keys : [{ action: 'type_keys', keys: keys.keys }];
    }
    case 'wait':
      return [{ action: 'wait', duration: waitMs }];
    case 'screenshot':
      return [];
    default:
      return { error: `unknown action type "${(action as { type?: unknown }).type}"` };
  }
}

/**
 * A computer_call's actions, in order, as our protocol's actions in the pixels of the model's picture,
 * each checked against the protocol's schema; or what to tell the model when one cannot be carried out.
 */
export function translateComputerActions(actions: readonly OpenAIComputerAction[]): TranslatedActions {
  const translated: ComputerAction[] = [];
  for (const [index, action] of actions.entries()) {
    const where = actions.length > 1 ? ` (action ${index + 1}, ${action.type})` : ` (${action.type})`;
    const ours = translateOne(action);
    if ('error' in ours) return { error: `${ours.error}${where}` };
    for (const candidate of ours) {
      const parsed = computerActionSchema.safeParse(candidate);
      if (!parsed.success) {
        return { error: `${describeValidationIssues(parsed.error.issues, candidate).message}${where}` };
      }
      translated.push(parsed.data);
    }
  }
  return { actions: translated };
}

/** The line a person reads for a batch: "Clicked at (405, 157), then typed "penguin"". */
export function describeActions(actions: readonly ComputerAction[]): string {
  if (actions.length === 0) return 'Took a screenshot';
  return actions
    .map((action, index) => {
      const line = describeAction(action);
      return index === 0 ? line : `then ${line.charAt(0).toLowerCase()}${line.slice(1)}`;
    })
    .join(', ');
}
