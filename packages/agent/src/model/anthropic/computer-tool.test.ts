import { describe, expect, it } from 'vitest';
import { keyCombination, translateComputerCall } from './computer-tool.ts';

describe("translating Claude's computer tool into our protocol", () => {
  it('maps clicks, drags, scrolls, typing and keys', () => {
    expect(translateComputerCall({ action: 'double_click', coordinate: [10, 20], text: 'shift' })).toEqual({
      actions: [
        {
          action: 'click_mouse',
          button: 'left',
          clickCount: 2,
          coordinates: { x: 10, y: 20 },
          holdKeys: ['Shift_L'],
        },
      ],
      describe: 'Double-clicked at (10, 20) holding Shift_L',
    });
    expect(
      translateComputerCall({ action: 'left_click_drag', start_coordinate: [1, 2], coordinate: [30, 40] })
        .actions,
    ).toEqual([
      {
        action: 'drag_mouse',
        path: [
          { x: 1, y: 2 },
          { x: 30, y: 40 },
        ],
        button: 'left',
      },
    ]);
    expect(
      translateComputerCall({
        action: 'scroll',
        coordinate: [5, 5],
        scroll_direction: 'down',
        scroll_amount: 4,
      }).actions,
    ).toEqual([{ action: 'scroll', direction: 'down', scrollCount: 4, coordinates: { x: 5, y: 5 } }]);
    expect(translateComputerCall({ action: 'type', text: 'héllo' }).actions).toEqual([
      { action: 'type_text', text: 'héllo' },
    ]);
    expect(translateComputerCall({ action: 'key', text: 'ctrl+shift+t' }).actions).toEqual([
      { action: 'type_keys', keys: ['Control_L', 'Shift_L', 't'] },
    ]);
    expect(translateComputerCall({ action: 'hold_key', text: 'alt', duration: 0.5 }).actions).toEqual([
      { action: 'press_keys', keys: ['Alt_L'], press: 'down' },
      { action: 'wait', duration: 500 },
      { action: 'press_keys', keys: ['Alt_L'], press: 'up' },
    ]);
    expect(translateComputerCall({ action: 'screenshot' }).actions).toEqual([]);
  });

  it('refuses what cannot be carried out with a message for the model', () => {
    expect(() => translateComputerCall({ action: 'left_click', coordinate: [1] })).toThrow(
      /coordinate: expected \[x, y\]/,
    );
    expect(() => keyCombination('ctrl+hyper')).toThrow(/unknown key "hyper"/);
    expect(() => translateComputerCall({ action: 'teleport' })).toThrow(/unknown computer action "teleport"/);
    expect(() => translateComputerCall({ action: 'scroll', scroll_direction: 'sideways' })).toThrow(
      /scroll_direction/,
    );
  });
});
