import { type PerformedAction, type Point, type ReplayStep, readPath, readPoint } from './replay-steps';

export type StepIconName =
  | 'click'
  | 'move'
  | 'drag'
  | 'scroll'
  | 'keys'
  | 'type'
  | 'wait'
  | 'screenshot'
  | 'application'
  | 'file'
  | 'zoom'
  | 'status'
  | 'tool';

export interface StepChip {
  /** What the value is, for screen readers and tooltips ("at", "keys", "text"). */
  name: string;
  text: string;
  kind: 'point' | 'key' | 'text' | 'value';
  /** Text typed that may be a secret: shown masked unless a person asks to see it. */
  secret?: boolean;
}

export interface StepDetails {
  icon: StepIconName;
  label: string;
  chips: StepChip[];
  /** The step typed or pasted text that is treated as a secret (see isSecretStep). */
  secret: boolean;
}

export const maskedText = '••••••••';

/**
 * Typed text is taken for a secret, and masked, when the model marked it sensitive (isSensitive), or when
 * the words around it name one: the model's words in the step's own turn, or in the step before it, or
 * that step's summary (the usual "click the password field, then type" sequence). A wrong guess only hides
 * text until a person presses "Show typed secrets".
 */
const secretWords = /pass(word|phrase|code)|\bpin\b|secret|credential|\btoken\b/i;

function typedAction(step: ReplayStep): PerformedAction | undefined {
  return step.actions.find((action) => action.action === 'type_text' || action.action === 'paste_text');
}

export function isSecretStep(step: ReplayStep, previous: ReplayStep | undefined): boolean {
  const typed = typedAction(step);
  if (!typed) return false;
  if (typed.isSensitive === true) return true;
  const around = [step.modelText, previous?.modelText ?? '', previous?.call.summary ?? ''];
  return around.some((text) => secretWords.test(text));
}

const point = (at: Point, name = 'at'): StepChip => ({ name, text: `${at.x}, ${at.y}`, kind: 'point' });
const keys = (value: unknown): StepChip[] =>
  Array.isArray(value) ? value.map((key) => ({ name: 'key', text: String(key), kind: 'key' as const })) : [];
const value = (name: string, text: string): StepChip => ({ name, text, kind: 'value' });

function clickLabel(action: PerformedAction): string {
  if (action.button === 'right') return 'Right-click';
  if (action.button === 'middle') return 'Middle-click';
  const count = typeof action.clickCount === 'number' ? action.clickCount : 1;
  return ['Click', 'Click', 'Double-click', 'Triple-click'][count] ?? `Click ${count} times`;
}

/** The label and values of one recorded desktop action. */
function describePerformed(
  action: PerformedAction,
  pointer: Point | undefined,
  secret: boolean,
): Omit<StepDetails, 'secret'> {
  const at = readPoint(action.coordinates);
  const where = at ? [point(at)] : pointer ? [point(pointer, 'at the pointer')] : [];
  switch (action.action) {
    case 'click_mouse':
      return { icon: 'click', label: clickLabel(action), chips: [...where, ...keys(action.holdKeys)] };
    case 'press_mouse':
      return {
        icon: 'click',
        label: `${action.press === 'up' ? 'Release' : 'Press'} the ${String(action.button ?? 'left')} button`,
        chips: where,
      };
    case 'move_mouse':
      return { icon: 'move', label: 'Move the pointer', chips: where };
    case 'trace_mouse':
    case 'drag_mouse': {
      const path = readPath(action.path);
      const [start, end] = [path[0], path.at(-1)];
      return {
        icon: action.action === 'drag_mouse' ? 'drag' : 'move',
        label: action.action === 'drag_mouse' ? 'Drag' : 'Trace the pointer',
        chips: [...(start ? [point(start, 'from')] : []), ...(end ? [point(end, 'to')] : [])],
      };
    }
    case 'scroll':
      return {
        icon: 'scroll',
        label: `Scroll ${String(action.direction ?? '')}`.trim(),
        chips: [...where, value('times', `× ${String(action.scrollCount ?? 1)}`)],
      };
    case 'type_keys':
      return { icon: 'keys', label: 'Press keys', chips: keys(action.keys) };
    case 'press_keys':
      return {
        icon: 'keys',
        label: action.press === 'up' ? 'Release keys' : 'Hold keys',
        chips: keys(action.keys),
      };
    case 'type_text':
    case 'paste_text':
      return {
        icon: 'type',
        label: action.action === 'type_text' ? 'Type' : 'Paste',
        chips: [{ name: 'text', text: String(action.text ?? ''), kind: 'text', secret }],
      };
    case 'wait':
      return {
        icon: 'wait',
        label: 'Wait',
        chips: [value('for', `${Number(action.duration ?? 0) / 1000} s`)],
      };
    case 'screenshot':
      return { icon: 'screenshot', label: 'Screenshot', chips: [] };
    case 'cursor_position':
      return { icon: 'move', label: 'Find the pointer', chips: [] };
    case 'application':
      return {
        icon: 'application',
        label: 'Open',
        chips: [value('application', String(action.application))],
      };
    case 'write_file':
    case 'read_file':
      return {
        icon: 'file',
        label: action.action === 'write_file' ? 'Write a file' : 'Read a file',
        chips: [value('path', String(action.path))],
      };
    case 'zoom': {
      const region = action.region as { x?: number; y?: number; width?: number; height?: number } | undefined;
      return {
        icon: 'zoom',
        label: 'Zoom in',
        chips: region
          ? [value('region', `${region.width}×${region.height} at ${region.x}, ${region.y}`)]
          : [],
      };
    }
    default:
      return { icon: 'tool', label: String(action.action ?? 'Action'), chips: [] };
  }
}

/** The agent's own tools, which record no desktop action. */
function describeCall(step: ReplayStep): Omit<StepDetails, 'secret'> {
  const input = step.call.input;
  switch (step.call.name) {
    case 'set_task_status':
      return { icon: 'status', label: 'Set the status', chips: [value('status', String(input.status))] };
    case 'open_application':
      return { icon: 'application', label: 'Open', chips: [value('application', String(input.application))] };
    case 'read_file':
    case 'write_file':
      return {
        icon: 'file',
        label: step.call.name === 'read_file' ? 'Read a file' : 'Write a file',
        chips: [value('path', String(input.path))],
      };
    default:
      return {
        icon: 'tool',
        label: step.result ? step.call.name.replaceAll('_', ' ') : 'Working on it',
        chips: [],
      };
  }
}

/**
 * What one step shows at a glance: an icon, a short label and its values as chips, from the actions the
 * agent recorded (screen pixels, the same for every provider). A call of several actions takes its label
 * from the first and shows every action's values.
 */
export function stepDetails(step: ReplayStep, secret: boolean): StepDetails {
  const actions = step.actions;
  // A screenshot call carries out nothing but a zero wait, which brings the settled screen back.
  const looks = actions.length === 1 && actions[0]?.action === 'wait' && Number(actions[0].duration) === 0;
  if (looks) return { icon: 'screenshot', label: 'Screenshot', chips: [], secret: false };
  if (actions.length === 0) return { ...describeCall(step), secret: false };
  let pointer = step.pointerBefore;
  const described = actions.map((action) => {
    const details = describePerformed(action, pointer, secret);
    pointer = readPoint(action.coordinates) ?? readPath(action.path).at(-1) ?? pointer;
    return details;
  });
  const first = described[0] as Omit<StepDetails, 'secret'>;
  return { icon: first.icon, label: first.label, chips: described.flatMap((item) => item.chips), secret };
}

/** The agent's line for the step, with typed text masked where the step is a secret. */
export function stepSummary(step: ReplayStep, secret: boolean): string {
  const summary = step.call.summary ?? `${step.call.name} ${JSON.stringify(step.call.input)}`;
  if (!secret) return summary;
  return typedAction(step)?.action === 'paste_text' ? 'Pasted text (hidden)' : 'Typed text (hidden)';
}
