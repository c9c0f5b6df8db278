import type { ComputerAction } from '@bytebot/protocol';

function at(coordinates: { x: number; y: number } | undefined): string {
  return coordinates ? ` at (${coordinates.x}, ${coordinates.y})` : '';
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

const clickNames = ['Clicked', 'Clicked', 'Double-clicked', 'Triple-clicked'];

/** The line a person reads for one of our protocol's actions ("Clicked at (512, 300)"). */
export function describeAction(action: ComputerAction): string {
  switch (action.action) {
    case 'move_mouse':
      return `Moved the pointer to (${action.coordinates.x}, ${action.coordinates.y})`;
    case 'trace_mouse':
      return `Moved the pointer along ${action.path.length} points`;
    case 'click_mouse': {
      const verb =
        action.button === 'left'
          ? (clickNames[action.clickCount] ?? `Clicked ${action.clickCount} times`)
          : `${action.button === 'right' ? 'Right' : 'Middle'}-clicked`;
      return `${verb}${at(action.coordinates)}${action.holdKeys?.length ? ` holding ${action.holdKeys.join('+')}` : ''}`;
    }
    case 'press_mouse':
      return `${action.press === 'down' ? 'Pressed' : 'Released'} the ${action.button} button${at(action.coordinates)}`;
    case 'drag_mouse': {
      const start = action.path[0];
      const end = action.path.at(-1);
      return `Dragged from (${start?.x}, ${start?.y}) to (${end?.x}, ${end?.y})`;
    }
    case 'scroll':
      return `Scrolled ${action.direction} ${action.scrollCount}${at(action.coordinates)}`;
    case 'type_keys':
      return `Pressed ${action.keys.join('+')}`;
    case 'press_keys':
      return `${action.press === 'down' ? 'Held down' : 'Released'} ${action.keys.join('+')}`;
    case 'type_text':
      return action.isSensitive ? 'Typed a secret' : `Typed ${quoted(action.text)}`;
    case 'paste_text':
      return action.isSensitive ? 'Pasted a secret' : `Pasted ${quoted(action.text)}`;
    case 'wait':
      return `Waited ${action.duration} ms`;
    case 'screenshot':
      return 'Took a screenshot';
    case 'cursor_position':
      return 'Read the pointer position';
    case 'application':
      return `Opened ${action.application}`;
    case 'write_file':
      return `Wrote ${action.path}`;
    case 'read_file':
      return `Read ${action.path}`;
    case 'zoom':
      return `Zoomed in on ${action.region.width}x${action.region.height} at (${action.region.x}, ${action.region.y})`;
  }
}
