import type { ToolResultBlock, ToolUseBlock } from '@bytebot/protocol';
import { describe, expect, it } from 'vitest';
import { LoopDetector } from './loop-detector.ts';

let counter = 0;

function call(input: Record<string, unknown>, name = 'computer'): ToolUseBlock {
  counter += 1;
  return { type: 'tool_use', id: `call-${counter}`, name, input, summary: `Did ${JSON.stringify(input)}` };
}

function screenshot(of: ToolUseBlock, data: string): ToolResultBlock {
  return {
    type: 'tool_result',
    tool_use_id: of.id,
    content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data } }],
  };
}

const notes = (result: ToolResultBlock | undefined) =>
  (result?.content ?? []).filter((part) => part.type === 'text').map((part) => part.text);

describe('the loop detector', () => {
  it('warns from the third repeat on an unchanged screen and stops at the fifth', () => {
    const detector = new LoopDetector({ warnAfter: 3, stopAfter: 5 });
    const verdicts = Array.from({ length: 5 }, () => {
      const move = call({ action: 'mouse_move', coordinate: [400, 300] });
      return detector.observe([move], [screenshot(move, 'SAME-PIXELS')]);
    });
    expect(verdicts.slice(0, 2).map((verdict) => notes(verdict.results[0]))).toEqual([[], []]);
    expect(notes(verdicts[2]?.results[0])[0]).toMatch(/3 times in a row and the screen did not change/);
    expect(notes(verdicts[3]?.results[0])[0]).toMatch(/4 times in a row.*try something different/i);
    expect(verdicts.slice(0, 4).every((verdict) => verdict.stuck === undefined)).toBe(true);
    expect(verdicts[4]?.stuck?.repeats).toBe(5);
    expect(verdicts[4]?.stuck?.reason).toMatch(
      /^Stopped because the model did the same thing 5 times in a row and the screen did not change \(Did .*\)\. It looks stuck/,
    );
    // The screenshot itself is kept; the note comes after it.
    expect(verdicts[4]?.results[0]?.content[0]?.type).toBe('image');
  });

  it('starts counting again when the screen changes, the input differs or another action comes between', () => {
    const detector = new LoopDetector({ warnAfter: 3, stopAfter: 5 });
    const repeat = (input: Record<string, unknown>, data: string) => {
      const made = call(input);
      return detector.observe([made], [screenshot(made, data)]);
    };
    const click = { action: 'left_click', coordinate: [10, 10] };
    repeat(click, 'A');
    repeat(click, 'A');
    // The screen changed: the click did something.
    expect(notes(repeat(click, 'B').results[0])).toEqual([]);
    repeat(click, 'B');
    // The same click elsewhere is another action.
    expect(notes(repeat({ ...click, coordinate: [11, 10] }, 'B').results[0])).toEqual([]);
    repeat(click, 'B');
    repeat(click, 'B');
    repeat({ action: 'key', text: 'Escape' }, 'B');
    expect(notes(repeat(click, 'B').results[0])).toEqual([]);
  });

  it('treats inputs that differ only in key order as the same action, and counts calls within one step', () => {
    const detector = new LoopDetector({ warnAfter: 2, stopAfter: 3 });
    const first = call({ action: 'scroll', coordinate: [5, 5], scroll_direction: 'down' });
    const second = call({ scroll_direction: 'down', coordinate: [5, 5], action: 'scroll' });
    const third = call({ action: 'scroll', coordinate: [5, 5], scroll_direction: 'down' });
    const verdict = detector.observe(
      [first, second, third],
      [screenshot(first, 'X'), screenshot(second, 'X'), screenshot(third, 'X')],
    );
    expect(verdict.results.map((result) => notes(result).length)).toEqual([0, 1, 1]);
    expect(verdict.stuck?.repeats).toBe(3);
  });

  it('compares only the screenshot when a result carries one, not the text beside it', () => {
    const detector = new LoopDetector({ warnAfter: 2, stopAfter: 3 });
    const verdicts = [1, 2].map((attempt) => {
      const made = call({ action: 'left_click', coordinate: [1, 2] });
      const result = screenshot(made, 'SAME');
      result.content.push({ type: 'text', text: `The screen settled after ${attempt * 100} ms.` });
      return detector.observe([made], [result]);
    });
    expect(notes(verdicts[1]?.results[0]).at(-1)).toMatch(/2 times in a row and the screen did not change/);
  });

  it('compares the text of results that carry no screenshot', () => {
    const detector = new LoopDetector({ warnAfter: 3, stopAfter: 5 });
    const read = (text: string) => {
      const made = call({ path: '/tmp/a.txt' }, 'read_file');
      const result: ToolResultBlock = {
        type: 'tool_result',
        tool_use_id: made.id,
        content: [{ type: 'text', text }],
      };
      return detector.observe([made], [result]);
    };
    read('one');
    read('one');
    expect(notes(read('one').results[0])[1]).toMatch(
      /3 times in a row and the result was the same each time/,
    );
    expect(notes(read('two').results[0])).toEqual(['two']);
  });
});
