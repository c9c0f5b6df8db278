import type { BytebotdClient } from '@bytebot/client';
import { describe, expect, it } from 'vitest';
import { ScreenScaling, screenshotLimits } from '../model/screen-scaling.ts';
import { CustomTools } from '../tools/custom-tools.ts';
import { agentTools } from './agent-tools.ts';
import { offeredTools, refusalOf, withheldTools } from './task-tools.ts';
import { ToolExecutor } from './tool-executor.ts';

const names = (withheld: ReadonlySet<string>) => [...withheld].sort();

describe("a task's agent tools", () => {
  it('withholds the optional tools its list leaves out, none when it names no list', () => {
    expect(names(withheldTools(null))).toEqual([]);
    expect(names(withheldTools({ maxSteps: 3 }))).toEqual([]);
    expect(names(withheldTools({ tools: ['open_application'] }))).toEqual(['read_file', 'write_file']);
    expect(names(withheldTools({ tools: [] }))).toEqual(['open_application', 'read_file', 'write_file']);
  });

  it('never offers a withheld tool, and always offers set_task_status', () => {
    const offered = offeredTools(agentTools, withheldTools({ tools: ['read_file'] }));
    expect(offered.map((tool) => tool.name)).toEqual(['set_task_status', 'read_file']);
    expect(offeredTools(agentTools, withheldTools({ tools: [] })).map((tool) => tool.name)).toEqual([
      'set_task_status',
    ]);
    expect(offeredTools(agentTools, new Set())).toBe(agentTools);
  });

  it('refuses only function calls of withheld tools', () => {
    const withheld = withheldTools({ tools: ['open_application'] });
    const call = (name: string) => ({ kind: 'function' as const, id: 'c', name, input: {} });
    expect(refusalOf(call('write_file'), withheld)).toMatch(/^write_file is not available on this task/);
    expect(refusalOf(call('open_application'), withheld)).toBeUndefined();
    expect(refusalOf(call('set_task_status'), withheld)).toBeUndefined();
    expect(
      refusalOf({ kind: 'computer', id: 'c', actions: [], describe: 'screenshot' }, withheld),
    ).toBeUndefined();
  });

  it('answers a withheld call with an error result and never touches the desktop', async () => {
    const touched: string[] = [];
    const desktop = new Proxy(
      {},
      {
        get: (_target, property) => () => {
          touched.push(String(property));
          return Promise.resolve({ path: 'notes.txt', size: 2 });
        },
      },
    ) as unknown as BytebotdClient;
    const executor = new ToolExecutor(desktop, new CustomTools([], new Set()));
    const context = {
      taskId: 'task',
      signal: new AbortController().signal,
      scaling: new ScreenScaling({ width: 1280, height: 960 }, screenshotLimits.gemini),
      screenshot: false,
    };
    const call = {
      kind: 'function' as const,
      id: 'w',
      name: 'write_file',
      input: { path: 'notes.txt', content: 'hi' },
    };
    const refused = await executor.execute(call, { ...context, withheld: withheldTools({ tools: [] }) });
    expect(refused.result.is_error).toBe(true);
    expect(refused.result.content).toEqual([
      { type: 'text', text: expect.stringMatching(/^write_file is not available on this task/) },
    ]);
    expect(refused.result.actions).toBeUndefined();
    expect(touched).toEqual([]);
    // The same call on a task that allows it is carried out.
    const allowed = await executor.execute(call, { ...context, withheld: withheldTools(null) });
    expect(allowed.result.is_error).toBeUndefined();
    expect(touched).toEqual(['writeFile']);
  });
});
