import type { SolutionStep } from './eval-task.ts';

type Point = { x: number; y: number };
export type ClaudeToolCall = { name: string; input: Record<string, unknown> };

const clickNames: Record<string, Record<number, string>> = {
  left: { 1: 'left_click', 2: 'double_click', 3: 'triple_click' },
  right: { 1: 'right_click' },
  middle: { 1: 'middle_click' },
};

/**
 * A solution step as Claude would ask for it: its computer tool in the picture's pixels (`scale` maps
 * screen pixels to them), or the agent's open_application tool. Steps Claude has no way to ask for are
 * refused, so a suite's solutions stay playable by the scripted model.
 */
export function solutionStepToClaude(step: SolutionStep, scale: number): ClaudeToolCall {
  const at = (point: Point) => [Math.round(point.x * scale), Math.round(point.y * scale)];
  const computer = (input: Record<string, unknown>): ClaudeToolCall => ({ name: 'computer', input });
  switch (step.action) {
    case 'application':
      return { name: 'open_application', input: { application: step.application } };
    case 'type_text':
      return computer({ action: 'type', text: step.text });
    case 'type_keys':
      return computer({ action: 'key', text: step.keys.join('+') });
    case 'wait':
      return computer({ action: 'wait', duration: step.duration / 1000 });
    case 'screenshot':
      return computer({ action: 'screenshot' });
    case 'move_mouse':
      return computer({ action: 'mouse_move', coordinate: at(step.coordinates) });
    case 'click_mouse': {
      const name = clickNames[step.button ?? 'left']?.[step.clickCount ?? 1];
      if (!name)
        throw new Error(`click_mouse: Claude cannot ask for ${step.clickCount} ${step.button} clicks`);
      return computer({
        action: name,
        ...(step.coordinates ? { coordinate: at(step.coordinates) } : {}),
        ...(step.holdKeys?.length ? { text: step.holdKeys.join('+') } : {}),
      });
    }
    case 'scroll':
      return computer({
        action: 'scroll',
        ...(step.coordinates ? { coordinate: at(step.coordinates) } : {}),
        scroll_direction: step.direction,
        scroll_amount: step.scrollCount ?? 1,
      });
    case 'press_mouse': {
      // Claude presses and releases where the pointer is: a solution moves it there first.
      if (step.coordinates || (step.button ?? 'left') !== 'left')
        throw new Error(
          'press_mouse: Claude presses the left button where the pointer is, without coordinates',
        );
      return computer({ action: step.press === 'down' ? 'left_mouse_down' : 'left_mouse_up' });
    }
    case 'drag_mouse': {
      const [from, to] = [step.path[0], step.path.at(-1)];
      if (!from || !to || step.path.length !== 2)
        throw new Error('drag_mouse: Claude drags from one point to one other');
      return computer({ action: 'left_click_drag', start_coordinate: at(from), coordinate: at(to) });
    }
    default:
      throw new Error(`${step.action}: not an action a scripted solution can use`);
  }
}
