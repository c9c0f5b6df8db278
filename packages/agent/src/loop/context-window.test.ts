import type { ImageBlock } from '@bytebot/protocol';
import { describe, expect, it } from 'vitest';
import { dropOldScreenshots, mergeTurns } from './context-window.ts';

const image = (data: string): ImageBlock => ({
  type: 'image',
  source: { type: 'base64', media_type: 'image/png', data },
});

describe('the context sent to the model', () => {
  it('keeps only the newest screenshots, in tool results and messages alike', () => {
    const history = dropOldScreenshots(
      [
        { role: 'user', content: [{ type: 'text', text: 'task' }, image('first')] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'computer', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: [image('second')] }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'b', name: 'computer', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'b', content: [image('third')] }] },
      ],
      2,
    );
    const text = JSON.stringify(history);
    expect(text).not.toContain('"first"');
    expect(text).toContain('"second"');
    expect(text).toContain('"third"');
    expect(text).toContain('omitted to save context');
  });

  it('joins neighbouring turns of one role with tool results first', () => {
    const merged = mergeTurns([
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'computer', input: {} }] },
      { role: 'user', content: [{ type: 'text', text: 'a person wrote this meanwhile' }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: [] }] },
    ]);
    expect(merged).toHaveLength(2);
    expect(merged[1]?.content.map((block) => block.type)).toEqual(['tool_result', 'text']);
  });
});
