import { groupedMessagesSchema, originalMessageSchema, type StoredContentBlock } from '@bytebot/protocol';
import { describe, expect, it } from 'vitest';
import type { Message } from '../storage/index.ts';
import { groupForDisplay, toOriginalMessages } from './original-messages.ts';

const taskId = '7f9c1a52-0000-4000-8000-000000000001';
const screenshotFile = `${'a'.repeat(64)}.png`;
let sequence = 0;

function message(role: 'user' | 'assistant', content: StoredContentBlock[]): Message {
  sequence += 1;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, sequence));
  return {
    id: `7f9c1a52-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    taskId,
    sequence,
    role,
    content,
    usage: null,
    createdAt: at,
    updatedAt: at,
  };
}

const storedScreenshot = {
  type: 'image',
  source: { type: 'file', media_type: 'image/png', id: screenshotFile },
} as const;

describe("the original agent's message views", () => {
  const conversation = [
    message('user', [{ type: 'text', text: 'Open the editor and type' }]),
    message('assistant', [
      { type: 'thinking', thinking: 'first look', signature: 'sig', id: 'ours' },
      { type: 'text', text: 'Looking.' },
      {
        type: 'tool_use',
        id: 'look',
        name: 'computer',
        input: { action: 'screenshot' },
        summary: 'Took a screenshot',
      },
    ]),
    message('user', [
      {
        type: 'tool_result',
        tool_use_id: 'look',
        content: [storedScreenshot],
        actions: [{ action: 'wait', duration: 0 }],
        durationMs: 12,
      },
    ]),
    message('assistant', [
      // A batch of the computer toolset: one model call, two desktop actions.
      {
        type: 'tool_use',
        id: 'batch',
        name: 'left_click',
        input: { coordinate: [5, 6] },
        toolset_name: 'computer',
      },
      { type: 'tool_use', id: 'read', name: 'read_file', input: { path: 'notes.txt' } },
    ]),
    message('user', [
      {
        type: 'tool_result',
        tool_use_id: 'batch',
        content: [storedScreenshot],
        actions: [
          { action: 'click_mouse', coordinates: { x: 5, y: 6 } },
          { action: 'type_text', text: 'hi', screenshotAfter: { format: 'png' } },
        ],
      },
      {
        type: 'tool_result',
        tool_use_id: 'read',
        content: [{ type: 'text', text: 'hello' }],
        is_error: false,
      },
    ]),
    message('user', [{ type: 'text', text: 'Thanks' }]),
  ];

  it('names the steps as the original does, inlines screenshots once, and leaves out our fields', async () => {
    const reads: string[] = [];
    const original = await toOriginalMessages(conversation, conversation, async (file) => {
      reads.push(file);
      return Buffer.from('PNG-BYTES');
    });
    for (const each of original) originalMessageSchema.parse(each);
    expect(original.map((each) => each.role)).toEqual([
      'USER',
      'ASSISTANT',
      'USER',
      'ASSISTANT',
      'USER',
      'USER',
    ]);
    expect(original[1]?.content).toEqual([
      { type: 'thinking', thinking: 'first look', signature: 'sig' },
      { type: 'text', text: 'Looking.' },
      { type: 'tool_use', id: 'look', name: 'computer_screenshot', input: {} },
    ]);
    expect(original[3]?.content).toEqual([
      {
        type: 'tool_use',
        id: 'batch',
        name: 'computer_click_mouse',
        input: { coordinates: { x: 5, y: 6 }, button: 'left', clickCount: 1 },
      },
      { type: 'tool_use', id: 'batch_2', name: 'computer_type_text', input: { text: 'hi' } },
      { type: 'tool_use', id: 'read', name: 'computer_read_file', input: { path: 'notes.txt' } },
    ]);
    const image = {
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: 'UE5HLUJZVEVT' },
    };
    expect(original[2]?.content).toEqual([{ type: 'tool_result', tool_use_id: 'look', content: [image] }]);
    expect(original[4]?.content[1]).toEqual({
      type: 'tool_result',
      tool_use_id: 'read',
      content: [{ type: 'text', text: 'hello' }],
      is_error: false,
    });
    expect(reads).toEqual([screenshotFile]);
  });

  it('says so where a screenshot is no longer stored', async () => {
    const [, , result] = await toOriginalMessages(conversation, conversation, async () => undefined);
    expect(result?.content[0]).toMatchObject({
      content: [{ type: 'text', text: '[a screenshot that is no longer stored]' }],
    });
  });

  it('keeps the model tool names where the results are not in view', async () => {
    const [, assistant] = await toOriginalMessages(
      conversation.slice(0, 2),
      conversation.slice(0, 2),
      async () => Buffer.from(''),
    );
    expect(assistant?.content.at(-1)).toMatchObject({ name: 'computer', input: { action: 'screenshot' } });
  });

  it("groups tool results with the assistant's steps and back-to-back messages of one role", async () => {
    const groups = groupForDisplay(
      await toOriginalMessages(conversation, conversation, async () => Buffer.from('')),
    );
    for (const group of groups) groupedMessagesSchema.parse(group);
    expect(groups.map((group) => [group.role, group.messages.length, group.take_over])).toEqual([
      ['USER', 1, false],
      ['ASSISTANT', 4, false],
      ['USER', 1, false],
    ]);
    expect(groups[1]?.messages.map((each) => each.role)).toEqual([
      'ASSISTANT',
      'ASSISTANT',
      'ASSISTANT',
      'ASSISTANT',
    ]);
  });
});
