import {
  type ComputerAction,
  type ComputerActionInput,
  computerActionSchema,
  describeValidationIssues,
  limits,
} from '@bytebot/protocol';
import { describeAction } from '../describe-action.ts';
import type { ToolCall } from '../model-provider.ts';
import type { Point, Size } from '../screen-scaling.ts';
import { legacyBrowserFunctions } from './computer-use-models.ts';
import { chord, splitKeyCombination } from './gemini-key-names.ts';
import { pointFromGrid } from './normalized-grid.ts';
import { safetyDecisionOf, safetyVerdict } from './safety-decision.ts';

/**
 * The predefined functions of Gemini's computer use tool, translated into our protocol's actions. Two
 * generations (https://ai.google.dev/gemini-api/docs/computer-use and
 * https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/computer-use, "Supported actions"):
 * - Gemini 3.5 Flash and later: click, double_click, triple_click, middle_click, right_click, mouse_down,
 *   mouse_up, move, type, drag_and_drop, wait, press_key, key_down, key_up, hotkey, take_screenshot, scroll
 *   (the desktop environment), plus go_back, navigate, go_forward in the browser;
 * - the legacy set (gemini-2.5-computer-use-preview-10-2025, gemini-3-flash-preview): click_at, hover_at,
 *   type_text_at, key_combination, scroll_document, scroll_at, drag_and_drop, wait_5_seconds, and the
 *   browser's open_web_browser, search, navigate, go_back, go_forward.
 * Every point is on the 0-999 grid and becomes a pixel of the picture the model saw (`request.screen`);
 * the agent maps that picture to the real screen. Every call is answered with a screenshot.
 */

/** The functions a browser has and this desktop does not: excluded for legacy models, refused if sent. */
const browserOnly = new Set<string>([...legacyBrowserFunctions]);
/** Functions of the mobile environment, which we never ask for. */
const mobileOnly = new Set(['open_app', 'list_apps', 'long_press', 'go_home', 'long_press_at']);

/**
 * One wheel step in Firefox and GTK programs scrolls about three lines, some 50 px at the desktop's
 * default font; a scroll's distance in pixels becomes that many steps.
 */
const pixelsPerWheelStep = 50;

class ArgumentError extends Error {}

type Arguments = Record<string, unknown>;

interface CallContext {
  name: string;
  args: Arguments;
  /** The picture the model saw, in pixels. */
  picture: Size;
}

function gridValue(args: Arguments, field: string): number {
  const value = args[field];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ArgumentError(`${field}: expected a number on the 0-999 grid, got ${JSON.stringify(value)}`);
  return value;
}

function point(context: CallContext, xField = 'x', yField = 'y'): Point {
  return pointFromGrid(
    { x: gridValue(context.args, xField), y: gridValue(context.args, yField) },
    context.picture,
  );
}

function text(args: Arguments, field: string): string {
  const value = args[field];
  if (typeof value !== 'string') throw new ArgumentError(`${field}: expected a string`);
  return value;
}

function flag(args: Arguments, field: string, fallback: boolean): boolean {
  const value = args[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ArgumentError(`${field}: expected true or false`);
}

function optionalNumber(args: Arguments, fields: string[], fallback: number): number {
  for (const field of fields) {
    const value = args[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new ArgumentError(`${field}: expected a number, 0 or more`);
    return value;
  }
  return fallback;
}

/** `hotkey` {keys: List[str]}; legacy `key_combination` {keys: "Control+C"}. Each also takes the other's form. */
function keyList(args: Arguments): string[] {
  const value = args.keys;
  const keys =
    typeof value === 'string'
      ? splitKeyCombination(value)
      : Array.isArray(value) && value.every((key) => typeof key === 'string')
        ? value
        : undefined;
  if (!keys || keys.length === 0) throw new ArgumentError('keys: expected key names, e.g. ["Control", "s"]');
  return chord(keys);
}

function click(context: CallContext, button: 'left' | 'right' | 'middle', clickCount = 1) {
  return [{ action: 'click_mouse', coordinates: point(context), button, clickCount }] as const;
}

function typing(content: string, pressEnter: boolean): ComputerActionInput[] {
  const actions: ComputerActionInput[] = [];
  if (content !== '') actions.push({ action: 'type_text', text: content });
  if (pressEnter) actions.push({ action: 'type_keys', keys: ['Return'] });
  if (actions.length === 0) throw new ArgumentError('text: nothing to type');
  return actions;
}

function waitFor(seconds: number): ComputerActionInput[] {
  return [{ action: 'wait', duration: Math.min(limits.maxWaitMs, Math.round(seconds * 1000)) }];
}

/**
 * A scroll of `magnitude` grid units (Google's reference implementation scales the magnitude like a
 * coordinate: `denormalize_y(magnitude)`), as wheel steps.
 */
function scroll(context: CallContext, at: Point, magnitude: number): ComputerActionInput[] {
  const direction = context.args.direction;
  if (direction !== 'up' && direction !== 'down' && direction !== 'left' && direction !== 'right')
    throw new ArgumentError('direction: expected "up", "down", "left" or "right"');
  const edge = direction === 'up' || direction === 'down' ? context.picture.height : context.picture.width;
  const pixels = Math.min(edge, (magnitude / 1000) * edge);
  const scrollCount = Math.min(limits.maxScrollCount, Math.max(1, Math.round(pixels / pixelsPerWheelStep)));
  return [{ action: 'scroll', coordinates: at, direction, scrollCount }];
}

/**
 * `drag_and_drop` is spelled two ways: the Gemini 3.5 tables say start_x, start_y, end_x, end_y; the
 * legacy table and the reference implementation's handler of both generations say x, y, destination_x,
 * destination_y. Either is taken.
 */
function drag(context: CallContext): ComputerActionInput[] {
  const spelledStartEnd = 'start_x' in context.args || 'end_x' in context.args;
  const start = spelledStartEnd ? point(context, 'start_x', 'start_y') : point(context);
  const end = spelledStartEnd
    ? point(context, 'end_x', 'end_y')
    : point(context, 'destination_x', 'destination_y');
  return [{ action: 'drag_mouse', path: [start, end], button: 'left' }];
}

/** Select all, delete: what "clearing the field first" does in Google's reference implementation. */
const clearField: ComputerActionInput[] = [
  { action: 'type_keys', keys: ['Control_L', 'a'] },
  { action: 'type_keys', keys: ['Delete'] },
];

function centre(picture: Size): Point {
  return { x: Math.floor(picture.width / 2), y: Math.floor(picture.height / 2) };
}

const handlers: Record<string, (context: CallContext) => readonly ComputerActionInput[]> = {
  // Gemini 3.5 and later.
  click: (context) => click(context, 'left'),
  double_click: (context) => click(context, 'left', 2),
  triple_click: (context) => click(context, 'left', 3),
  middle_click: (context) => click(context, 'middle'),
  right_click: (context) => click(context, 'right'),
  mouse_down: (context) => [
    { action: 'press_mouse', coordinates: point(context), button: 'left', press: 'down' },
  ],
  mouse_up: (context) => [
    { action: 'press_mouse', coordinates: point(context), button: 'left', press: 'up' },
  ],
  move: (context) => [{ action: 'move_mouse', coordinates: point(context) }],
  // Types where the focus is: the tables say only "Types text", and the reference implementation types
  // without clicking or clearing first. press_enter defaults to false.
  type: (context) => typing(text(context.args, 'text'), flag(context.args, 'press_enter', false)),
  drag_and_drop: drag,
  wait: (context) => waitFor(optionalNumber(context.args, ['seconds'], 1)),
  press_key: (context) => [{ action: 'type_keys', keys: chord([text(context.args, 'key')]) }],
  key_down: (context) => [{ action: 'press_keys', keys: chord([text(context.args, 'key')]), press: 'down' }],
  key_up: (context) => [{ action: 'press_keys', keys: chord([text(context.args, 'key')]), press: 'up' }],
  hotkey: (context) => [{ action: 'type_keys', keys: keyList(context.args) }],
  // The screenshot comes back with every call's response; it needs no action of its own.
  take_screenshot: () => [],
  // magnitude_in_pixels per the tables (default 300), magnitude per the reference implementation.
  scroll: (context) =>
    scroll(context, point(context), optionalNumber(context.args, ['magnitude_in_pixels', 'magnitude'], 300)),
  // The legacy set.
  click_at: (context) => click(context, 'left'),
  hover_at: (context) => [{ action: 'move_mouse', coordinates: point(context) }],
  // "Types text at a specific coordinate, defaults to clearing the field first and pressing ENTER after
  // typing": press_enter and clear_before_typing both default to true.
  type_text_at: (context) => [
    ...click(context, 'left'),
    ...(flag(context.args, 'clear_before_typing', true) ? clearField : []),
    ...typing(text(context.args, 'text'), flag(context.args, 'press_enter', true)),
  ],
  key_combination: (context) => [{ action: 'type_keys', keys: keyList(context.args) }],
  scroll_at: (context) =>
    scroll(context, point(context), optionalNumber(context.args, ['magnitude', 'magnitude_in_pixels'], 800)),
  // "Scrolls the entire webpage": on a desktop, the window under the middle of the screen.
  scroll_document: (context) => scroll(context, centre(context.picture), 800),
  wait_5_seconds: () => waitFor(5),
};

const predefinedNames = new Set([...Object.keys(handlers), ...browserOnly, ...mobileOnly]);

/** Whether Gemini's computer use tool defines a function of this name (in any generation or environment). */
export function isPredefinedFunction(name: string): boolean {
  return predefinedNames.has(name);
}

/** The functions the tool offers us: Gemini 3.5's desktop set, or the legacy browser set less its exclusions. */
const offered: Record<'current' | 'legacy', readonly string[]> = {
  current: [
    'click',
    'double_click',
    'triple_click',
    'middle_click',
    'right_click',
    'mouse_down',
    'mouse_up',
    'move',
    'type',
    'drag_and_drop',
    'wait',
    'press_key',
    'key_down',
    'key_up',
    'hotkey',
    'take_screenshot',
    'scroll',
  ],
  legacy: [
    'wait_5_seconds',
    'click_at',
    'hover_at',
    'type_text_at',
    'key_combination',
    'scroll_document',
    'scroll_at',
    'drag_and_drop',
  ],
};

/**
 * Predefined functions one of our declared functions (a custom tool) shares a name with: excluded, so
 * the declaration replaces them ("exclude default predefined actions and register custom actions",
 * https://ai.google.dev/gemini-api/docs/computer-use, "Custom user-defined functions").
 */
export function replacedPredefinedFunctions(actions: 'current' | 'legacy', declared: string[]): string[] {
  return offered[actions].filter((name) => declared.includes(name));
}

function unavailable(name: string): string | undefined {
  // No tool is named here: a task may withhold open_application, and the desktop's panel opens Firefox too.
  if (browserOnly.has(name))
    return `${name} is a browser action and this is a Linux desktop: open Firefox and use its address bar instead`;
  if (mobileOnly.has(name)) return `${name} is a mobile action and this is a Linux desktop`;
  return undefined;
}

function withoutPeriod(sentence: string): string {
  return sentence.replace(/[.\s]+$/, '');
}

/** A call of a predefined function as our ToolCall: its actions in pixels of the model's picture. */
export function parsePredefinedCall(id: string, name: string, args: Arguments, picture: Size): ToolCall {
  const notAvailable = unavailable(name);
  const handler = handlers[name];
  if (notAvailable || !handler)
    return { kind: 'invalid', id, name, error: notAvailable ?? `unknown function ${name}` };
  const safety = safetyDecisionOf(args);
  const verdict = safetyVerdict(safety);
  if (verdict === 'blocked') {
    return {
      kind: 'invalid',
      id,
      name,
      error: `Not executed: Gemini's safety service blocked this action${safety?.explanation ? ` (${withoutPeriod(safety.explanation)})` : ''}.`,
    };
  }
  let inputs: readonly ComputerActionInput[];
  try {
    inputs = handler({ name, args, picture });
  } catch (error) {
    if (error instanceof ArgumentError)
      return { kind: 'invalid', id, name, error: `invalid input: ${error.message}` };
    throw error;
  }
  const actions: ComputerAction[] = [];
  for (const input of inputs) {
    const parsed = computerActionSchema.safeParse(input);
    if (!parsed.success)
      return {
        kind: 'invalid',
        id,
        name,
        error: `invalid input: ${describeValidationIssues(parsed.error.issues, input).message}`,
      };
    actions.push(parsed.data);
  }
  const describe =
    actions.length === 0
      ? 'Took a screenshot'
      : actions
          .map(describeAction)
          .map((line, index) => (index === 0 ? line : `${line.charAt(0).toLowerCase()}${line.slice(1)}`))
          .join(', then ');
  return {
    kind: 'computer',
    id,
    actions,
    describe,
    // "Take screenshot after each action": every function response carries its own screenshot
    // (https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/computer-use, "Capture the new state").
    alwaysScreenshot: true,
    ...(verdict === 'confirm'
      ? {
          confirm: safety?.explanation
            ? withoutPeriod(safety.explanation)
            : `Gemini's safety service asks to confirm: ${describe}`,
        }
      : {}),
  };
}
