import { describe, expect, it } from 'vitest';
import {
  describeActions,
  normalizeKeys,
  type OpenAIComputerAction,
  translateComputerActions,
} from './computer-actions.ts';

function translate(...actions: Array<Record<string, unknown>>) {
  return translateComputerActions(actions as unknown as OpenAIComputerAction[]);
}

describe("OpenAI's computer actions in our protocol", () => {
  it('keeps a batch in order: a click, then typing', () => {
    expect(
      translate({ type: 'click', button: 'left', x: 405, y: 157 }, { type: 'type', text: 'penguin' }),
    ).toEqual({
      actions: [
        { action: 'click_mouse', coordinates: { x: 405, y: 157 }, button: 'left', clickCount: 1 },
        { action: 'type_text', text: 'penguin' },
      ],
    });
  });

  it('turns the model key names into X keysyms, one chord per keypress', () => {
    expect(translate({ type: 'keypress', keys: ['CTRL', 'S'] })).toEqual({
      actions: [{ action: 'type_keys', keys: ['Control_L', 's'] }],
    });
    expect(normalizeKeys(['CTRL+SHIFT+T'])).toEqual({ keys: ['Control_L', 'Shift_L', 'T'] });
    expect(normalizeKeys(['ENTER'])).toEqual({ keys: ['Return'] });
    expect(normalizeKeys(['RETURN'])).toEqual({ keys: ['Return'] });
    expect(normalizeKeys(['ARROWLEFT'])).toEqual({ keys: ['Left'] });
    expect(normalizeKeys(['PAGEDOWN'])).toEqual({ keys: ['Next'] });
    expect(normalizeKeys(['ESC'])).toEqual({ keys: ['Escape'] });
    expect(normalizeKeys(['SPACE'])).toEqual({ keys: ['space'] });
    expect(normalizeKeys(['META', 'L'])).toEqual({ keys: ['Super_L', 'l'] });
    expect(normalizeKeys(['ALT', 'F4'])).toEqual({ keys: ['Alt_L', 'F4'] });
    expect(normalizeKeys(['+'])).toEqual({ keys: ['+'] });
    // On its own a capital types the capital.
    expect(normalizeKeys(['A'])).toEqual({ keys: ['A'] });
    expect(normalizeKeys(['HYPERDRIVE'])).toEqual({ error: 'unknown key "HYPERDRIVE"' });
  });

  it('holds modifier keys during mouse actions', () => {
    expect(translate({ type: 'click', button: 'left', x: 1, y: 2, keys: ['SHIFT'] })).toEqual({
      actions: [
        {
          action: 'click_mouse',
          coordinates: { x: 1, y: 2 },
          button: 'left',
          clickCount: 1,
          holdKeys: ['Shift_L'],
        },
      ],
    });
    expect(translate({ type: 'double_click', x: 3, y: 4, keys: null })).toEqual({
      actions: [{ action: 'click_mouse', coordinates: { x: 3, y: 4 }, button: 'left', clickCount: 2 }],
    });
    expect(translate({ type: 'move', x: 5, y: 6, keys: ['CTRL'] })).toEqual({
      actions: [{ action: 'trace_mouse', path: [{ x: 5, y: 6 }], holdKeys: ['Control_L'] }],
    });
    expect(
      translate({
        type: 'drag',
        path: [{ x: 1, y: 1 }, [9, 9]],
        keys: ['ALT'],
      }),
    ).toEqual({
      actions: [
        {
          action: 'drag_mouse',
          path: [
            { x: 1, y: 1 },
            { x: 9, y: 9 },
          ],
          button: 'left',
          holdKeys: ['Alt_L'],
        },
      ],
    });
  });

  it('scrolls 100 pixels a wheel click, at least one, at most our limit, each axis on its own', () => {
    expect(translate({ type: 'scroll', x: 10, y: 20, scroll_x: 0, scroll_y: 250 })).toEqual({
      actions: [{ action: 'scroll', coordinates: { x: 10, y: 20 }, direction: 'down', scrollCount: 3 }],
    });
    expect(translate({ type: 'scroll', x: 10, y: 20, scroll_x: -40, scroll_y: -100 })).toEqual({
      actions: [
        { action: 'scroll', coordinates: { x: 10, y: 20 }, direction: 'up', scrollCount: 1 },
        { action: 'scroll', coordinates: { x: 10, y: 20 }, direction: 'left', scrollCount: 1 },
      ],
    });
    expect(translate({ type: 'scroll', x: 1, y: 1, scroll_x: 0, scroll_y: 1_000_000 })).toMatchObject({
      actions: [{ scrollCount: 50 }],
    });
    expect(translate({ type: 'scroll', x: 7, y: 8, scroll_x: 0, scroll_y: 0 })).toEqual({
      actions: [{ action: 'move_mouse', coordinates: { x: 7, y: 8 } }],
    });
  });

  it('waits 2 s for wait, does nothing for screenshot, and maps the other buttons', () => {
    expect(translate({ type: 'wait' }, { type: 'screenshot' })).toEqual({
      actions: [{ action: 'wait', duration: 2000 }],
    });
    expect(translate({ type: 'click', button: 'wheel', x: 1, y: 1 })).toMatchObject({
      actions: [{ action: 'click_mouse', button: 'middle' }],
    });
    expect(translate({ type: 'click', button: 'back', x: 1, y: 1 })).toEqual({
      actions: [
        { action: 'move_mouse', coordinates: { x: 1, y: 1 } },
        { action: 'type_keys', keys: ['XF86Back'] },
      ],
    });
  });

  it('says which action of the batch cannot be carried out', () => {
    expect(translate({ type: 'type', text: 'a' }, { type: 'drag', path: [{ x: 1, y: 1 }] })).toEqual({
      error: expect.stringMatching(/^path: .*\(action 2, drag\)$/),
    });
    expect(translate({ type: 'click', button: 'left', x: -5, y: 1 })).toEqual({
      error: expect.stringContaining('coordinates.x'),
    });
    expect(translate({ type: 'keypress', keys: ['CTRL', 'NOPE'] })).toEqual({
      error: 'unknown key "NOPE" (keypress)',
    });
    expect(translate({ type: 'teleport' })).toEqual({ error: 'unknown action type "teleport" (teleport)' });
  });

  it('describes a batch in one line', () => {
    const result = translate(
      { type: 'click', button: 'left', x: 405, y: 157 },
      { type: 'type', text: 'penguin' },
    );
    expect('actions' in result && describeActions(result.actions)).toBe(
      'Clicked at (405, 157), then typed "penguin"',
    );
    expect(describeActions([])).toBe('Took a screenshot');
  });
});
