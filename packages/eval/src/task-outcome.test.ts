import type { AgentMessage } from '@bytebot/protocol';
import { describe, expect, it } from 'vitest';
import { type FinalWords, finalWords, judgeOutcome } from './task-outcome.ts';

const message = (role: 'user' | 'assistant', content: AgentMessage['content']): AgentMessage => ({
  id: '00000000-0000-4000-8000-000000000000',
  taskId: '00000000-0000-4000-8000-000000000001',
  sequence: 1,
  role,
  content,
  usage: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const statusCall = (status: string, description: string) =>
  message('assistant', [
    { type: 'text', text: 'Let me look.' },
    { type: 'tool_use', id: 't', name: 'set_task_status', input: { status, description } },
  ]);
const said = (text: string) => message('assistant', [{ type: 'text', text }]);
const result = message('user', [{ type: 'tool_result', tool_use_id: 't', content: [] }]);

const unchanged = { passed: true, detail: 'nothing changed' };
const done = { passed: true, detail: 'the file holds the list' };

describe('the outcome of an evaluated task', () => {
  it("reads the model's last words: its set_task_status description, else its last text", () => {
    expect(
      finalWords([said('Opening it.'), statusCall('needs_help', 'There is no such setting.'), result]),
    ).toEqual({
      text: 'There is no such setting.',
      requested: 'needs_help',
    });
    expect(
      finalWords([statusCall('completed', 'Done.'), said('The task is done.'), message('user', [])]),
    ).toEqual({
      text: 'The task is done.',
    });
    expect(finalWords([message('user', [{ type: 'text', text: 'Do it' }])])).toEqual({ text: null });
  });

  it('passes a feasible task only when it ended COMPLETED and its checker passed', () => {
    const words = { text: 'Done.', requested: 'completed' as const };
    expect(judgeOutcome({ feasible: true, status: 'COMPLETED', words, checked: done }).passed).toBe(true);
    expect(judgeOutcome({ feasible: true, status: 'NEEDS_HELP', words, checked: done })).toEqual({
      passed: false,
      detail: 'ended NEEDS_HELP, not COMPLETED; the file holds the list',
    });
    expect(
      judgeOutcome({
        feasible: true,
        status: 'COMPLETED',
        words,
        checked: { passed: false, detail: 'no file' },
      }),
    ).toEqual({ passed: false, detail: 'no file' });
  });

  it('passes a task that cannot be done only when the model refused it with a reason and changed nothing', () => {
    const refusal: FinalWords = { text: 'The file does not exist.', requested: 'needs_help' };
    const judge = (status: string, words: FinalWords, checked = unchanged) =>
      judgeOutcome({ feasible: false, status, words, checked }).passed;
    expect(judge('NEEDS_HELP', refusal)).toBe(true);
    expect(judge('FAILED', { ...refusal, requested: 'failed' })).toBe(true);
    // Claimed done, stopped by a limit (the agent's words, not the model's), no reason, or something changed.
    expect(judge('COMPLETED', { text: 'I have completed the task.' })).toBe(false);
    expect(judge('NEEDS_HELP', { text: 'Let me click the menu.' })).toBe(false);
    expect(judge('NEEDS_HELP', { ...refusal, text: '  ' })).toBe(false);
    expect(judge('NEEDS_HELP', refusal, { passed: false, detail: '~/notes.txt changed' })).toBe(false);
  });
});
