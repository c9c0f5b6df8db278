import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskContext } from '../eval-task.ts';
import { loadOsworldSuite } from './load-tasks.ts';

let folder: string;
const write = (path: string, content: unknown) => {
  mkdirSync(dirname(join(folder, path)), { recursive: true });
  writeFileSync(join(folder, path), typeof content === 'string' ? content : JSON.stringify(content));
};

const task = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  instruction: `Do ${id}.`,
  config: [],
  evaluator: {
    func: 'exact_match',
    result: { type: 'vm_command_line', command: 'cat /home/user/x' },
    expected: { type: 'rule', rules: { expected: 'x' } },
  },
  ...fields,
});

const context = { home: '/tmp/home-7', screen: { width: 1280, height: 960 } } as TaskContext;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'osworld-tasks-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('a folder of OSWorld task files', () => {
  it('loads every *.json under it, in order, leaving solutions/ and files/ alone', () => {
    write('os/b.json', task('b', { related_apps: ['thunar', 'chrome'], difficulty: 'hard' }));
    write('a.json', task('a'));
    write('os/files/data.json', { not: 'a task' });
    write('solutions/a.json', { steps: [{ action: 'type_text', text: 'cat /home/user/notes.txt\n' }] });
    const suite = loadOsworldSuite(folder);
    expect(suite.tasks.map((entry) => entry.id)).toEqual(['a', 'b']);
    const [a, b] = suite.tasks;
    expect(a?.description).toBe('Do a.');
    expect(b?.applications).toEqual(['file_manager']);
    expect(b?.difficulty).toBe('hard');
    expect(a?.unsupported).toBeUndefined();
    // The solution's /home/user is the task's own home.
    expect(a?.solution(context)).toEqual([{ action: 'type_text', text: 'cat /tmp/home-7/notes.txt\n' }]);
    expect(() => b?.solution(context)).toThrow(/no scripted solution: .*solutions\/b\.json/);
  });

  it('reports a missing folder, an empty one, and an id used twice', () => {
    expect(() => loadOsworldSuite(join(folder, 'nope'))).toThrow(/is not a folder/);
    expect(() => loadOsworldSuite(folder)).toThrow(/holds no task/);
    write('one.json', task('same'));
    write('two.json', task('same'));
    expect(() => loadOsworldSuite(folder)).toThrow(/the id "same" is used by both/);
  });

  it('names the file and the field of a malformed task', () => {
    write('bad.json', task('bad', { instruction: 3 }));
    expect(() => loadOsworldSuite(folder)).toThrow(/bad\.json: instruction: expected a string, got number/);
    write('bad.json', '{ not json');
    expect(() => loadOsworldSuite(folder)).toThrow(/bad\.json: not JSON/);
    write('bad.json', task('../escape'));
    expect(() => loadOsworldSuite(folder)).toThrow(/bad\.json: id: letters, digits/);
    write('bad.json', task('bad', { config: [{ type: 'sleep', parameters: { seconds: 'two' } }] }));
    expect(() => loadOsworldSuite(folder)).toThrow(
      /bad\.json: config\.0\.parameters\.seconds: expected a number/,
    );
    write(
      'bad.json',
      task('bad', {
        config: [{ type: 'download', parameters: { files: [{ url: 'gone.txt', path: '/home/user/a' }] } }],
      }),
    );
    expect(() => loadOsworldSuite(folder)).toThrow(
      /bad\.json: config\.0\.parameters\.files\.0\.url: gone\.txt: no such file/,
    );
    write(
      'bad.json',
      task('bad', {
        config: [{ type: 'download', parameters: { files: [{ url: '/etc/passwd', path: '/home/user/a' }] } }],
      }),
    );
    expect(() => loadOsworldSuite(folder)).toThrow(/outside the tasks folder/);
    write(
      'bad.json',
      task('bad', {
        evaluator: { func: ['exact_match', 'fuzzy_match'], result: [{ type: 'rule', rules: {} }] },
      }),
    );
    expect(() => loadOsworldSuite(folder)).toThrow(/bad\.json: evaluator\.result: expected a list of 2/);
    write('bad.json', task('bad', { evaluator: { func: 'exact_match' } }));
    expect(() => loadOsworldSuite(folder)).toThrow(/bad\.json: evaluator\.result: required by exact_match/);
    write('bad.json', task('bad'));
    write('solutions/bad.json', { steps: [{ action: 'type_text' }] });
    expect(() => loadOsworldSuite(folder)).toThrow(/solutions\/bad\.json: steps\.0\.text: required/);
  });

  it('loads a task with a piece this runner lacks, saying which, so it is reported skipped', () => {
    write('files/gold.txt', 'gold\n');
    write(
      'config.json',
      task('config', { config: [{ type: 'chrome_open_tabs', parameters: { urls_to_open: [] } }] }),
    );
    write(
      'network.json',
      task('network', {
        config: [
          {
            type: 'download',
            parameters: { files: [{ url: 'https://example.com/a.docx', path: '/home/user/a.docx' }] },
          },
        ],
      }),
    );
    write(
      'getter.json',
      task('getter', {
        evaluator: {
          func: 'exact_match',
          result: { type: 'vm_terminal_output' },
          expected: { type: 'rule', rules: {} },
        },
      }),
    );
    write(
      'metric.json',
      task('metric', {
        evaluator: {
          func: ['exact_match', 'compare_pptx_files'],
          result: [
            { type: 'rule', rules: {} },
            { type: 'rule', rules: {} },
          ],
        },
      }),
    );
    write(
      'cloud.json',
      task('cloud', {
        evaluator: {
          func: 'compare_text_file',
          result: { type: 'vm_file', path: '/home/user/a' },
          expected: { type: 'cloud_file', path: 'https://example.com/gold.txt' },
        },
      }),
    );
    write(
      'local.json',
      task('local', {
        evaluator: {
          func: 'compare_text_file',
          result: { type: 'vm_file', path: '/home/user/a' },
          expected: { type: 'cloud_file', path: 'files/gold.txt' },
        },
      }),
    );
    const unsupported = Object.fromEntries(
      loadOsworldSuite(folder).tasks.map((entry) => [entry.id, entry.unsupported]),
    );
    expect(unsupported).toEqual({
      cloud:
        'unsupported cloud_file from https://example.com/gold.txt (only files of the tasks folder, never the network)',
      config: 'unsupported config type "chrome_open_tabs"',
      getter: 'unsupported getter "vm_terminal_output"',
      local: undefined,
      metric: 'unsupported metric "compare_pptx_files"',
      network:
        'unsupported download from https://example.com/a.docx (only files of the tasks folder, never the network)',
    });
  });

  it('reads func "infeasible" as a task that cannot be done', async () => {
    write('impossible.json', task('impossible', { evaluator: { func: 'infeasible' } }));
    const [impossible] = loadOsworldSuite(folder).tasks;
    expect(impossible?.feasible).toBe(false);
    expect((await impossible?.check(context))?.passed).toBe(true);
  });
});
