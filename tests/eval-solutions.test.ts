import { translateComputerCall } from '@bytebot/agent';
import { type EvalSuite, solutionStepToClaude, suites, type TaskContext } from '@bytebot/eval';
import { computerActionSchema, resolveKey } from '@bytebot/protocol';
import { describe, expect, it } from 'vitest';

const suite = suites.starter as EvalSuite;
const unused = () => {
  throw new Error('a solution only reads the home folder, the screen and page addresses');
};
const context: TaskContext = {
  home: '/home/bytebot-eval-1/home-1',
  screen: { width: 1280, height: 960 },
  run: unused,
  launch: unused,
  writeFile: unused,
  readFile: unused,
  exists: unused,
  windowTitles: unused,
  waitForWindow: unused,
  clipboard: unused,
  pageUrl: (path) => `http://127.0.0.1:40000/run/0123456789abcdef${path}`,
  pageRecords: () => [],
};

/** Keys as the desktop presses them: "ctrl" and "Control_L" are one key (its keysym). */
function pressed(action: unknown): unknown {
  const keysyms = (keys: string[]) => keys.map((key) => resolveKey(key)?.keysym ?? key);
  const parsed = computerActionSchema.parse(action) as Record<string, unknown>;
  return {
    ...parsed,
    ...(Array.isArray(parsed.keys) ? { keys: keysyms(parsed.keys as string[]) } : {}),
    ...(Array.isArray(parsed.holdKeys) ? { holdKeys: keysyms(parsed.holdKeys as string[]) } : {}),
  };
}

describe("the starter suite's scripted solutions", () => {
  it.each(suite.tasks.map((task) => [task.id, task] as const))(
    '%s: each step, asked for as Claude would, reaches the desktop as exactly that action',
    (_, task) => {
      const steps = task.solution(context);
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        const expected = pressed(step);
        const call = solutionStepToClaude(step, 1);
        if (call.name === 'open_application') {
          expect(expected).toEqual({ action: 'application', application: call.input.application });
          continue;
        }
        expect(call.name).toBe('computer');
        if (step.action === 'screenshot') {
          // A look: the agent answers it with the screenshot it takes after every batch, no action.
          expect(call.input).toEqual({ action: 'screenshot' });
          expect(translateComputerCall(call.input).actions).toEqual([]);
          continue;
        }
        const [played, ...more] = translateComputerCall(call.input).actions;
        expect(more).toEqual([]);
        expect(pressed(played)).toEqual(expected);
      }
    },
  );

  it('scales points into the picture the model is shown', () => {
    const call = solutionStepToClaude({ action: 'click_mouse', coordinates: { x: 640, y: 480 } }, 0.5);
    expect(call.input).toEqual({ action: 'left_click', coordinate: [320, 240] });
  });
});
