import { describe, expect, it } from 'vitest';
import { openAIComputerTool, openAIComputerToolTable } from './openai-computer-tools.ts';

describe('which OpenAI models take the native computer tool', () => {
  it('gives the computer tool to gpt-5.4 and later, their variants and snapshots', () => {
    for (const model of [
      'gpt-5.4',
      'gpt-5.4-mini',
      'gpt-5.4-2026-03-05',
      'gpt-5.5',
      'gpt-5.5-2026-04-23',
      'gpt-5.5-pro',
      'gpt-5.6-sol',
      'gpt-5.6-luna',
      ' GPT-5.5 ',
    ]) {
      expect(openAIComputerTool(model), model).toBe('computer');
    }
  });

  it('keeps function tools for the models before it, and a later version does not match an earlier prefix', () => {
    for (const model of [
      'gpt-5',
      'gpt-5-mini',
      'gpt-5-2025-08-07',
      'gpt-5.1',
      'gpt-5.2-pro',
      'gpt-5.3-chat-latest',
      'gpt-4.1',
      'gpt-4o-mini',
      'o3',
      'o4-mini',
      'computer-use-preview',
    ]) {
      expect(openAIComputerTool(model), model).toBe('function tools');
    }
  });

  it('takes an unknown GPT version past the table to be newer (the native tool), any other name not', () => {
    expect(openAIComputerTool('gpt-6-sol')).toBe('computer');
    expect(openAIComputerTool('gpt-6.1-terra')).toBe('computer');
    expect(openAIComputerTool('gpt-5.10')).toBe('computer');
    expect(openAIComputerTool('gpt-test')).toBe('function tools');
    expect(openAIComputerTool('my-fine-tune')).toBe('function tools');
  });

  it('keeps function tools for every OpenAI-compatible server, whatever the model is called', () => {
    expect(openAIComputerTool('gpt-5.5', 'openai-compatible')).toBe('function tools');
  });

  it('lists each prefix once', () => {
    const prefixes = openAIComputerToolTable.map((row) => row.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
