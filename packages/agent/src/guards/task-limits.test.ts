import { ConfigurationError } from '@bytebot/config';
import { describe, expect, it } from 'vitest';
import { readGuardSettings } from './guard-settings.ts';
import { RunningClock } from './running-clock.ts';
import { builtInLimits, effectiveLimits, limitReached, type TaskConsumption } from './task-limits.ts';

const fresh: TaskConsumption = {
  steps: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
  runningMs: 0,
};

describe('task limits', () => {
  it('fills the limits a task lacks from the defaults', () => {
    expect(effectiveLimits(null, builtInLimits)).toEqual({
      maxSteps: 100,
      maxTokens: 2_000_000,
      maxCostUsd: 5,
      maxMinutes: 60,
      tools: ['open_application', 'read_file', 'write_file'],
    });
    expect(effectiveLimits({ maxSteps: 3 }, builtInLimits)).toEqual({
      ...builtInLimits,
      maxSteps: 3,
      tools: ['open_application', 'read_file', 'write_file'],
    });
    // An empty list is a choice (the computer and set_task_status only), not a list left out.
    expect(effectiveLimits({ tools: [] }, builtInLimits).tools).toEqual([]);
  });

  it('stops at each limit with a reason a person can act on', () => {
    expect(limitReached({ ...fresh, steps: 99 }, builtInLimits)).toBeUndefined();
    expect(limitReached({ ...fresh, steps: 100 }, builtInLimits)).toEqual({
      limit: 'maxSteps',
      reason:
        "Stopped after 100 steps (the task's step limit is 100). To let it go on, send a message with a higher " +
        'limit (limits.maxSteps in POST /tasks/:id/messages).',
    });
    const tokens = limitReached(
      { ...fresh, inputTokens: 1_500_000, cacheReadTokens: 400_000, outputTokens: 100_000 },
      builtInLimits,
    );
    expect(tokens?.limit).toBe('maxTokens');
    expect(tokens?.reason).toMatch(
      /^Stopped after using 2,000,000 tokens \(the task's token limit is 2,000,000\)/,
    );
    const cost = limitReached({ ...fresh, costUsd: 1.2005 }, { ...builtInLimits, maxCostUsd: 1 });
    expect(cost?.reason).toMatch(
      /^Stopped after spending \$1\.20 on the model \(the task's cost limit is \$1\.00\)\. .*limits\.maxCostUsd/,
    );
    const time = limitReached({ ...fresh, runningMs: 61 * 60_000 }, builtInLimits);
    expect(time?.reason).toMatch(
      /^Stopped after running for 61 minutes \(the task's time limit is 60 minutes\)/,
    );
    expect(
      limitReached({ ...fresh, runningMs: 1_300 }, { ...builtInLimits, maxMinutes: 0.02 })?.reason,
    ).toMatch(/running for 1\.3 seconds \(the task's time limit is 1\.2 seconds\)/);
  });

  it('measures running time on an injected clock, leaving out the time a person had control', () => {
    let now = 1_000_000;
    const clock = new RunningClock(() => now);
    now += 30_000;
    expect(clock.lap()).toBe(30_000);
    now += 10_000;
    clock.pause();
    now += 45 * 60_000; // a person drives the desktop
    clock.pause();
    clock.resume();
    now += 5_000;
    const spent = clock.lap();
    expect(spent).toBe(15_000);
    const limits = { ...builtInLimits, maxMinutes: 0.75 };
    expect(limitReached({ ...fresh, runningMs: 30_000 + spent }, limits)?.limit).toBe('maxMinutes');
    expect(limitReached({ ...fresh, runningMs: 30_000 }, limits)).toBeUndefined();
    expect(clock.lap()).toBe(0);
  });

  it('reads its defaults and thresholds from the environment, refusing values it cannot use', () => {
    const settings = readGuardSettings({
      BYTEBOT_MAX_STEPS: '20',
      BYTEBOT_MAX_TOKENS: '500000',
      BYTEBOT_MAX_COST_USD: '0.5',
      BYTEBOT_MAX_MINUTES: '7.5',
      BYTEBOT_LOOP_WARN_AFTER: '2',
      BYTEBOT_LOOP_STOP_AFTER: '4',
    });
    expect(settings.limits).toEqual({ maxSteps: 20, maxTokens: 500_000, maxCostUsd: 0.5, maxMinutes: 7.5 });
    expect(settings.loop).toEqual({ warnAfter: 2, stopAfter: 4 });
    expect(readGuardSettings({}).limits).toEqual(builtInLimits);
    expect(readGuardSettings({}).loop).toEqual({ warnAfter: 3, stopAfter: 5 });
    for (const [variable, value] of [
      ['BYTEBOT_MAX_STEPS', '2.5'],
      ['BYTEBOT_MAX_STEPS', '0'],
      ['BYTEBOT_MAX_COST_USD', '-1'],
      ['BYTEBOT_MAX_MINUTES', 'soon'],
      ['BYTEBOT_LOOP_STOP_AFTER', '3'],
    ] as const) {
      expect(() => readGuardSettings({ [variable]: value }), `${variable}=${value}`).toThrow(
        ConfigurationError,
      );
      expect(() => readGuardSettings({ [variable]: value })).toThrow(new RegExp(`^${variable}: `));
    }
  });
});
