import { type ComputerActionInput, resolveKey } from '@bytebot/protocol';

/** Raised for a computer tool call we cannot carry out; its message goes back to the model as the tool's error. */
export class ComputerToolInputError extends Error {
  override name = 'ComputerToolInputError';
}

type Point = { x: number; y: number };

function point(value: unknown, field: string): Point {
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((number) => typeof number === 'number' && Number.isFinite(number))
  ) {
    return { x: Math.round(value[0] as number), y: Math.round(value[1] as number) };
  }
  throw new ComputerToolInputError(`${field}: expected [x, y] in pixels, got ${JSON.stringify(value)}`);
}

function optionalPoint(value: unknown, field: string): Point | undefined {
  return value === undefined || value === null ? undefined : point(value, field);
}

function text(value: unknown, field: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw new ComputerToolInputError(`${field}: expected a non-empty string`);
}

/** "ctrl+shift+t" (xdotool's spelling, which Claude uses) to key names our protocol knows. */
export function keyCombination(combination: string): string[] {
  const keys = combination
    .split(/\s*\+\s*/)
    .map((key) => key.trim())
    .filter((key) => key !== '');
  if (keys.length === 0) throw new ComputerToolInputError('text: expected keys such as "ctrl+s"');
  return keys.map((key) => {
    const resolved = resolveKey(key);
    if (!resolved)
      throw new ComputerToolInputError(
        `text: unknown key "${key}"; use X keysym names such as Return, ctrl, alt, F5`,
      );
    return resolved.name;
  });
}

function heldKeys(value: unknown): string[] | undefined {
  return typeof value === 'string' && value.trim() !== '' ? keyCombination(value) : undefined;
}

function seconds(value: unknown, field: string, maximum: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > maximum) {
    throw new ComputerToolInputError(`${field}: expected seconds from 0 to ${maximum}`);
  }
  return Math.round(value * 1000);
}

const clickCounts: Record<string, { button: 'left' | 'right' | 'middle'; clickCount: number; verb: string }> =
  {
    left_click: { button: 'left', clickCount: 1, verb: 'Clicked' },
    right_click: { button: 'right', clickCount: 1, verb: 'Right-clicked' },
    middle_click: { button: 'middle', clickCount: 1, verb: 'Middle-clicked' },
    double_click: { button: 'left', clickCount: 2, verb: 'Double-clicked' },
    triple_click: { button: 'left', clickCount: 3, verb: 'Triple-clicked' },
  };

function at(coordinates: Point | undefined): string {
  return coordinates ? ` at (${coordinates.x}, ${coordinates.y})` : '';
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/**
 * Translates one call of Claude's computer tool into our protocol's actions, with a short line a person
 * reads in the conversation ("Clicked at (512, 300)"). Anthropic's vocabulary stays inside this adapter.
 */
export function translateComputerCall(input: Record<string, unknown>): {
  actions: ComputerActionInput[];
  describe: string;
} {
  const action = input.action;
  if (typeof action === 'string' && action in clickCounts) {
    const click = clickCounts[action] as (typeof clickCounts)[string];
    const coordinates = optionalPoint(input.coordinate, 'coordinate');
    const holdKeys = heldKeys(input.text);
    return {
      actions: [
        {
          action: 'click_mouse',
          button: click.button,
          clickCount: click.clickCount,
          ...(coordinates ? { coordinates } : {}),
          ...(holdKeys ? { holdKeys } : {}),
        },
      ],
      describe: `${click.verb}${at(coordinates)}${holdKeys ? ` holding ${holdKeys.join('+')}` : ''}`,
    };
  }
  switch (action) {
    case 'screenshot':
      return { actions: [], describe: 'Took a screenshot' };
    case 'cursor_position':
      return { actions: [{ action: 'cursor_position' }], describe: 'Read the pointer position' };
    case 'mouse_move': {
      const coordinates = point(input.coordinate, 'coordinate');
      return {
        actions: [{ action: 'move_mouse', coordinates }],
        describe: `Moved the pointer to (${coordinates.x}, ${coordinates.y})`,
      };
    }
    case 'left_mouse_down':
    case 'left_mouse_up': {
      const coordinates = optionalPoint(input.coordinate, 'coordinate');
      const press = action === 'left_mouse_down' ? 'down' : 'up';
      return {
        actions: [{ action: 'press_mouse', button: 'left', press, ...(coordinates ? { coordinates } : {}) }],
        describe: `${press === 'down' ? 'Pressed' : 'Released'} the left button${at(coordinates)}`,
      };
    }
    case 'left_click_drag': {
      const start = point(input.start_coordinate, 'start_coordinate');
      const end = point(input.coordinate, 'coordinate');
      return {
        actions: [{ action: 'drag_mouse', path: [start, end], button: 'left' }],
        describe: `Dragged from (${start.x}, ${start.y}) to (${end.x}, ${end.y})`,
      };
    }
    case 'scroll': {
      const coordinates = optionalPoint(input.coordinate, 'coordinate');
      const direction = input.scroll_direction;
      if (direction !== 'up' && direction !== 'down' && direction !== 'left' && direction !== 'right') {
        throw new ComputerToolInputError('scroll_direction: expected up, down, left or right');
      }
      const amount = input.scroll_amount ?? 3;
      if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1 || amount > 50) {
        throw new ComputerToolInputError('scroll_amount: expected a whole number from 1 to 50');
      }
      const holdKeys = heldKeys(input.text);
      return {
        actions: [
          {
            action: 'scroll',
            direction,
            scrollCount: amount,
            ...(coordinates ? { coordinates } : {}),
            ...(holdKeys ? { holdKeys } : {}),
          },
        ],
        describe: `Scrolled ${direction} ${amount}${at(coordinates)}`,
      };
    }
    case 'type': {
      const typed = text(input.text, 'text');
      return { actions: [{ action: 'type_text', text: typed }], describe: `Typed ${quoted(typed)}` };
    }
    case 'key': {
      const keys = keyCombination(text(input.text, 'text'));
      // The toolset's key takes a repeat count (default 1).
      const repeat = input.repeat ?? 1;
      if (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 1 || repeat > 100) {
        throw new ComputerToolInputError('repeat: expected a whole number from 1 to 100');
      }
      return {
        actions: Array.from({ length: repeat }, () => ({ action: 'type_keys' as const, keys })),
        describe: `Pressed ${keys.join('+')}${repeat > 1 ? ` ${repeat} times` : ''}`,
      };
    }
    case 'hold_key': {
      const keys = keyCombination(text(input.text, 'text'));
      const duration = seconds(input.duration, 'duration', 60);
      return {
        actions: [
          { action: 'press_keys', keys, press: 'down' },
          { action: 'wait', duration },
          { action: 'press_keys', keys, press: 'up' },
        ],
        describe: `Held ${keys.join('+')} for ${duration} ms`,
      };
    }
    case 'zoom': {
      // Claude's region is [x0, y0, x1, y1]: two corners.
      const region = input.region;
      if (
        !Array.isArray(region) ||
        region.length !== 4 ||
        !region.every((value) => typeof value === 'number' && Number.isFinite(value))
      ) {
        throw new ComputerToolInputError(
          `region: expected [x0, y0, x1, y1] in pixels, got ${JSON.stringify(region)}`,
        );
      }
      const [x0, y0, x1, y1] = (region as number[]).map(Math.round) as [number, number, number, number];
      const left = Math.min(x0, x1);
      const top = Math.min(y0, y1);
      const width = Math.abs(x1 - x0) + 1;
      const height = Math.abs(y1 - y0) + 1;
      return {
        actions: [{ action: 'zoom', region: { x: left, y: top, width, height } }],
        describe: `Zoomed in on ${width}x${height} at (${left}, ${top})`,
      };
    }
    case 'wait': {
      const duration = seconds(input.duration ?? 1, 'duration', 60);
      return { actions: [{ action: 'wait', duration }], describe: `Waited ${duration} ms` };
    }
    default:
      throw new ComputerToolInputError(`action: unknown computer action ${JSON.stringify(action)}`);
  }
}
