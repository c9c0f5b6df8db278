import { describe, expect, it } from 'vitest';
import type { ToolCall } from '../model-provider.ts';
import { fromGrid } from './normalized-grid.ts';
import { isPredefinedFunction, parsePredefinedCall } from './predefined-functions.ts';

const picture = { width: 1280, height: 960 };

function parse(name: string, args: Record<string, unknown>, size = picture): ToolCall {
  return parsePredefinedCall('fc-1', name, args, size);
}

function actions(name: string, args: Record<string, unknown>, size = picture) {
  const call = parse(name, args, size);
  if (call.kind !== 'computer') throw new Error(`expected a computer call, got ${JSON.stringify(call)}`);
  return call.actions;
}

describe("Gemini's 0-999 grid", () => {
  it('maps a grid value to x/1000 of the edge, truncated, kept on the picture', () => {
    expect(fromGrid(0, 1280)).toBe(0);
    expect(fromGrid(500, 1280)).toBe(640);
    expect(fromGrid(371, 1280)).toBe(474); // 474.88
    expect(fromGrid(999, 1280)).toBe(1278); // 1278.72
    expect(fromGrid(1000, 1280)).toBe(1279);
    expect(fromGrid(-5, 1280)).toBe(0);
    expect(fromGrid(470, 960)).toBe(451); // 451.2
  });

  it("puts a click on the pixel of the model's picture, whatever its size", () => {
    expect(actions('click', { x: 371, y: 470, intent: 'the search box' })).toEqual([
      { action: 'click_mouse', coordinates: { x: 474, y: 451 }, button: 'left', clickCount: 1 },
    ]);
    expect(actions('click_at', { x: 500, y: 500 }, { width: 1200, height: 900 })).toEqual([
      { action: 'click_mouse', coordinates: { x: 600, y: 450 }, button: 'left', clickCount: 1 },
    ]);
  });
});

describe('the predefined functions of Gemini 3.5 and later', () => {
  it('clicks with each button and count', () => {
    expect(actions('double_click', { x: 0, y: 0 })[0]).toMatchObject({ button: 'left', clickCount: 2 });
    expect(actions('triple_click', { x: 0, y: 0 })[0]).toMatchObject({ button: 'left', clickCount: 3 });
    expect(actions('middle_click', { x: 0, y: 0 })[0]).toMatchObject({ button: 'middle', clickCount: 1 });
    expect(actions('right_click', { x: 0, y: 0 })[0]).toMatchObject({ button: 'right', clickCount: 1 });
  });

  it('presses and releases the button, and moves the pointer', () => {
    expect(actions('mouse_down', { x: 100, y: 100 })).toEqual([
      { action: 'press_mouse', coordinates: { x: 128, y: 96 }, button: 'left', press: 'down' },
    ]);
    expect(actions('mouse_up', { x: 200, y: 100 })).toEqual([
      { action: 'press_mouse', coordinates: { x: 256, y: 96 }, button: 'left', press: 'up' },
    ]);
    expect(actions('move', { x: 999, y: 999 })).toEqual([
      { action: 'move_mouse', coordinates: { x: 1278, y: 959 } },
    ]);
  });

  it('types where the focus is, with Return only when asked', () => {
    expect(actions('type', { text: 'hello', intent: 'type the note' })).toEqual([
      { action: 'type_text', text: 'hello' },
    ]);
    expect(actions('type', { text: 'hello', press_enter: true })).toEqual([
      { action: 'type_text', text: 'hello' },
      { action: 'type_keys', keys: ['Return'] },
    ]);
  });

  it('drags in either spelling of its arguments', () => {
    const drag = {
      action: 'drag_mouse',
      path: [
        { x: 128, y: 96 },
        { x: 640, y: 480 },
      ],
      button: 'left',
    };
    expect(actions('drag_and_drop', { start_x: 100, start_y: 100, end_x: 500, end_y: 500 })).toEqual([drag]);
    expect(actions('drag_and_drop', { x: 100, y: 100, destination_x: 500, destination_y: 500 })).toEqual([
      drag,
    ]);
  });

  it('waits a second by default, and at most our longest wait', () => {
    expect(actions('wait', {})).toEqual([{ action: 'wait', duration: 1000 }]);
    expect(actions('wait', { seconds: 3 })).toEqual([{ action: 'wait', duration: 3000 }]);
    expect(actions('wait', { seconds: 600 })).toEqual([{ action: 'wait', duration: 60_000 }]);
    expect(actions('wait_5_seconds', {})).toEqual([{ action: 'wait', duration: 5000 }]);
  });

  it("presses keys by Gemini's names, a capital beside a modifier being the key", () => {
    expect(actions('press_key', { key: 'Enter' })).toEqual([{ action: 'type_keys', keys: ['Enter'] }]);
    expect(actions('hotkey', { keys: ['Control', 's'] })).toEqual([
      { action: 'type_keys', keys: ['Control', 's'] },
    ]);
    expect(actions('hotkey', { keys: ['ControlOrMeta', 'A'] })).toEqual([
      { action: 'type_keys', keys: ['Control_L', 'a'] },
    ]);
    expect(actions('hotkey', { keys: ['Shift', 'A'] })).toEqual([
      { action: 'type_keys', keys: ['Shift', 'A'] },
    ]);
    expect(actions('hotkey', { keys: 'Control+Shift+t' })).toEqual([
      { action: 'type_keys', keys: ['Control', 'Shift', 't'] },
    ]);
    expect(actions('key_down', { key: 'Shift' })).toEqual([
      { action: 'press_keys', keys: ['Shift'], press: 'down' },
    ]);
    expect(actions('key_up', { key: 'Shift' })).toEqual([
      { action: 'press_keys', keys: ['Shift'], press: 'up' },
    ]);
  });

  it('answers take_screenshot with the screenshot alone', () => {
    expect(parse('take_screenshot', { intent: 'look' })).toEqual({
      kind: 'computer',
      id: 'fc-1',
      actions: [],
      describe: 'Took a screenshot',
      alwaysScreenshot: true,
    });
  });

  it('scrolls by the magnitude on the grid (300 by default), in wheel steps', () => {
    // 300/1000 of 960 px = 288 px, about 6 steps of 50 px.
    expect(actions('scroll', { x: 500, y: 500, direction: 'down' })).toEqual([
      { action: 'scroll', coordinates: { x: 640, y: 480 }, direction: 'down', scrollCount: 6 },
    ]);
    expect(
      actions('scroll', { x: 500, y: 500, direction: 'right', magnitude_in_pixels: 999 })[0],
    ).toMatchObject({
      direction: 'right',
      scrollCount: 26,
    });
    expect(actions('scroll', { x: 500, y: 500, direction: 'up', magnitude: 100 })[0]).toMatchObject({
      scrollCount: 2,
    });
  });
});

describe('the legacy predefined functions', () => {
  it('types at a point, clearing the field and pressing Enter by default', () => {
    expect(actions('type_text_at', { x: 500, y: 500, text: 'query' })).toEqual([
      { action: 'click_mouse', coordinates: { x: 640, y: 480 }, button: 'left', clickCount: 1 },
      { action: 'type_keys', keys: ['Control_L', 'a'] },
      { action: 'type_keys', keys: ['Delete'] },
      { action: 'type_text', text: 'query' },
      { action: 'type_keys', keys: ['Return'] },
    ]);
    expect(
      actions('type_text_at', {
        x: 500,
        y: 500,
        text: 'query',
        press_enter: false,
        clear_before_typing: false,
      }),
    ).toEqual([
      { action: 'click_mouse', coordinates: { x: 640, y: 480 }, button: 'left', clickCount: 1 },
      { action: 'type_text', text: 'query' },
    ]);
  });

  it('presses a key combination written as one string', () => {
    expect(actions('key_combination', { keys: 'Control+A' })).toEqual([
      { action: 'type_keys', keys: ['Control', 'a'] },
    ]);
    expect(actions('key_combination', { keys: 'Control++' })).toEqual([
      { action: 'type_keys', keys: ['Control', '+'] },
    ]);
    expect(actions('key_combination', { keys: 'enter' })).toEqual([{ action: 'type_keys', keys: ['enter'] }]);
  });

  it('hovers, scrolls at a point (800 by default) and scrolls the document', () => {
    expect(actions('hover_at', { x: 250, y: 150 })).toEqual([
      { action: 'move_mouse', coordinates: { x: 320, y: 144 } },
    ]);
    expect(actions('scroll_at', { x: 500, y: 500, direction: 'down' })[0]).toMatchObject({ scrollCount: 15 });
    expect(actions('scroll_document', { direction: 'up' })).toEqual([
      { action: 'scroll', coordinates: { x: 640, y: 480 }, direction: 'up', scrollCount: 15 },
    ]);
  });
});

describe('what cannot run here', () => {
  it('refuses browser and mobile functions, naming what to do instead', () => {
    for (const name of ['navigate', 'go_back', 'go_forward', 'search', 'open_web_browser']) {
      expect(isPredefinedFunction(name)).toBe(true);
      const call = parse(name, { url: 'https://example.com' });
      expect(call).toMatchObject({ kind: 'invalid', name });
      expect(call.kind === 'invalid' && call.error).toContain('open Firefox and use its address bar');
    }
    expect(parse('open_app', { app_name: 'Chrome' })).toMatchObject({ kind: 'invalid' });
    expect(isPredefinedFunction('open_application')).toBe(false);
  });

  it('refuses bad arguments with the field named, before anything runs', () => {
    expect(parse('click', { x: 'left', y: 3 })).toMatchObject({
      kind: 'invalid',
      error: expect.stringContaining('x: expected a number on the 0-999 grid'),
    });
    expect(parse('scroll', { x: 1, y: 1, direction: 'sideways' })).toMatchObject({
      kind: 'invalid',
      error: expect.stringContaining('direction'),
    });
    expect(parse('press_key', { key: 'NoSuchKey' })).toMatchObject({
      kind: 'invalid',
      error: expect.stringContaining('unknown key'),
    });
    expect(parse('type', { text: '' })).toMatchObject({ kind: 'invalid' });
  });
});

describe("Gemini's safety decision", () => {
  it('asks a person first when the decision is require_confirmation', () => {
    expect(
      parse('click', {
        x: 60,
        y: 100,
        safety_decision: {
          explanation: 'I have encountered a CAPTCHA challenge that requires interaction.',
          decision: 'require_confirmation',
        },
      }),
    ).toMatchObject({
      kind: 'computer',
      actions: [{ action: 'click_mouse', coordinates: { x: 76, y: 96 } }],
      confirm: 'I have encountered a CAPTCHA challenge that requires interaction',
      alwaysScreenshot: true,
    });
  });

  it('runs an allowed action and refuses a blocked one', () => {
    const allowed = parse('click', { x: 1, y: 1, safety_decision: { decision: 'regular', explanation: '' } });
    expect(allowed.kind === 'computer' && allowed.confirm).toBeFalsy();
    expect(
      parse('click', { x: 1, y: 1, safety_decision: { decision: 'blocked', explanation: 'Not allowed.' } }),
    ).toMatchObject({ kind: 'invalid', error: expect.stringContaining('blocked this action (Not allowed)') });
  });

  it('describes several actions of one call in one line', () => {
    const call = parse('type', { text: 'hi', press_enter: true });
    expect(call.kind === 'computer' && call.describe).toBe('Typed "hi", then pressed Return');
  });
});
