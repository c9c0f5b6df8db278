import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResult, TaskContext } from '../eval-task.ts';
import { onThisDesktop } from './desktop-paths.ts';
import { evaluate, parseEvaluator } from './evaluator.ts';
import { parseSetupStep, runSetupStep, type SetupStep, type StepOrigin } from './setup-steps.ts';

/** A TaskContext that records what a step asked of the desktop, and answers commands from a script. */
function fakeContext(answer: (program: string, args: string[]) => Partial<CommandResult> = () => ({})) {
  const calls: string[] = [];
  const files = new Map<string, string>();
  const context = {
    home: '/tmp/home-3',
    screen: { width: 1280, height: 960 },
    async run(program: string, args: string[]) {
      calls.push(`run ${program} ${JSON.stringify(args)}`);
      return { stdout: '', stderr: '', exitCode: 0, ...answer(program, args) };
    },
    launch(program: string, args: string[]) {
      calls.push(`launch ${program} ${JSON.stringify(args)}`);
    },
    async writeFile(path: string, content: string | Buffer) {
      files.set(path, content.toString());
    },
    async readFile(path: string) {
      return files.get(path);
    },
    async waitForWindow(title: RegExp) {
      calls.push(`wait ${title}`);
    },
  } as unknown as TaskContext;
  return { context, calls, files };
}

let folder: string;
let origin: StepOrigin;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'osworld-steps-'));
  origin = { file: 'task.json', field: 'config.0', taskFolder: folder, tasksFolder: folder };
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const step = (type: string, parameters: Record<string, unknown>): SetupStep => {
  const parsed = parseSetupStep({ type, parameters }, origin);
  if ('unsupported' in parsed) throw new Error(parsed.unsupported);
  return parsed;
};

describe("OSWorld's paths on this desktop", () => {
  it("points /home/user, and only that account, at the task's home, and fills the screen placeholders", () => {
    const desktop = { home: '/tmp/h', screen: { width: 1280, height: 960 } };
    expect(onThisDesktop('cat /home/user/a.txt "/home/user" /home/username', desktop)).toBe(
      'cat /tmp/h/a.txt "/tmp/h" /home/username',
    );
    expect(onThisDesktop('xdotool mousemove {SCREEN_WIDTH_HALF} {SCREEN_HEIGHT}', desktop)).toBe(
      'xdotool mousemove 640 960',
    );
  });
});

describe('setup steps', () => {
  it('runs execute as the desktop user: a list as it is, a string or shell: true through sh', async () => {
    const { context, calls } = fakeContext();
    await runSetupStep(step('execute', { command: ['mkdir', '-p', '/home/user/a b'] }), context);
    await runSetupStep(step('command', { command: 'echo hi > /home/user/x' }), context);
    await runSetupStep(step('execute', { command: ['echo', 'a', '&&', 'echo', 'b'], shell: true }), context);
    expect(calls).toEqual([
      'run mkdir ["-p","/tmp/home-3/a b"]',
      'run sh ["-c","echo hi > /tmp/home-3/x"]',
      'run sh ["-c","echo a && echo b"]',
    ]);
  });

  it('repeats execute until its output says so', async () => {
    let tries = 0;
    const { context } = fakeContext(() => {
      tries += 1;
      return { stdout: tries < 3 ? 'Desktop' : 'Desktop\ntodo.txt - Mousepad' };
    });
    await runSetupStep(
      step('execute', { command: ['wmctrl', '-l'], until: { stdout: 'Mousepad' } }),
      context,
    );
    expect(tries).toBe(3);
  });

  it('launches without waiting, splitting a one-string command at its spaces as OSWorld does', async () => {
    const { context, calls } = fakeContext();
    await runSetupStep(step('launch', { command: 'mousepad /home/user/a.txt' }), context);
    await runSetupStep(step('launch', { command: ['thunar', '/home/user'] }), context);
    expect(calls).toEqual(['launch mousepad ["/tmp/home-3/a.txt"]', 'launch thunar ["/tmp/home-3"]']);
  });

  it('opens a file with its application and waits for its window', async () => {
    const { context, calls } = fakeContext();
    await runSetupStep(step('open', { path: '/home/user/notes (1).txt' }), context);
    expect(calls).toEqual(['launch xdg-open ["/tmp/home-3/notes (1).txt"]', 'wait /notes \\(1\\)\\.txt/']);
  });

  it('places files of the tasks folder in the home, for download and upload_file alike', async () => {
    writeFileSync(join(folder, 'a.txt'), 'alpha\n');
    const { context, files } = fakeContext();
    await runSetupStep(step('download', { files: [{ url: 'a.txt', path: '/home/user/in/a.txt' }] }), context);
    await runSetupStep(
      step('upload_file', {
        files: [{ local_path: `file://${join(folder, 'a.txt')}`, path: '/home/user/b.txt' }],
      }),
      context,
    );
    expect(Object.fromEntries(files)).toEqual({
      '/tmp/home-3/in/a.txt': 'alpha\n',
      '/tmp/home-3/b.txt': 'alpha\n',
    });
  });

  it('activates and closes windows with wmctrl', async () => {
    const { context, calls } = fakeContext();
    await runSetupStep(step('activate_window', { window_name: 'Mousepad', strict: true }), context);
    await runSetupStep(step('close_window', { window_name: 'thunar', by_class: true }), context);
    expect(calls).toEqual(['run wmctrl ["-F","-a","Mousepad"]', 'run wmctrl ["-x","-c","thunar"]']);
  });
});

describe('the evaluator', () => {
  const files = { file: 'task.json', taskFolder: '/nowhere', tasksFolder: '/nowhere' };
  const parse = (raw: Record<string, unknown>) => {
    const parsed = parseEvaluator(raw as never, files);
    if ('unsupported' in parsed) throw new Error(parsed.unsupported);
    return parsed;
  };
  const outputs = (answers: Record<string, string>) =>
    fakeContext((program, args) => ({ stdout: answers[[program, ...args].join(' ')] ?? '' }));

  it('plays the postconfig, then scores each function on what its getters read', async () => {
    const { context, calls } = outputs({ 'sh -c cat /tmp/home-3/a': 'yes\n' });
    const result = await evaluate(
      parse({
        func: 'exact_match',
        result: { type: 'vm_command_line', command: 'cat /home/user/a' },
        expected: { type: 'rule', rules: { expected: 'yes\n' } },
        postconfig: [{ type: 'execute', parameters: { command: ['sync'] } }],
      }),
      context,
    );
    expect(result.passed).toBe(true);
    expect(calls[0]).toBe('run sync []');
  });

  it('with "and" needs every function at full marks; with "or" one is enough', async () => {
    const { context } = outputs({ 'sh -c echo a': 'a', 'sh -c echo b': 'b' });
    const raw = (conj: string) => ({
      func: ['exact_match', 'exact_match'],
      conj,
      result: [
        { type: 'vm_command_line', command: 'echo a' },
        { type: 'vm_command_line', command: 'echo b' },
      ],
      expected: [
        { type: 'rule', rules: { expected: 'a' } },
        { type: 'rule', rules: { expected: 'a' } },
      ],
    });
    const all = await evaluate(parse(raw('and')), context);
    expect(all.passed).toBe(false);
    expect(all.detail).toContain('exact_match: the output of "echo b" is "b"');
    expect((await evaluate(parse(raw('or')), context)).passed).toBe(true);
  });

  it('reports a partial score without counting it as passed', async () => {
    const { context } = outputs({ 'sh -c cat x': 'A-7Q41-2026' });
    const result = await evaluate(
      parse({
        func: 'fuzzy_match',
        result: { type: 'vm_command_line', command: 'cat x' },
        expected: { type: 'rule', rules: { expected: 'A-7Q41-2025' } },
      }),
      context,
    );
    expect(result.passed).toBe(false);
    expect(result.detail).toMatch(/^score 0\.9\d: /);
  });
});
