import { describe, expect, it } from 'vitest';
import type { Observed } from './getters.ts';
import { metrics } from './metrics.ts';
import { similarity } from './text-similarity.ts';

const file = (text: string | undefined, path = '/home/t/notes.txt'): Observed => ({
  kind: 'file',
  path,
  text,
});
const output = (text: string): Observed => ({ kind: 'output', command: 'echo', text });
const rules = (value: Record<string, unknown>): Observed => ({ kind: 'rules', rules: value });
const run = (name: string, result?: Observed, expected?: Observed, options: Record<string, unknown> = {}) => {
  const metric = metrics[name];
  if (!metric) throw new Error(`no metric ${name}`);
  return metric(result, expected, options);
};

describe("OSWorld's metrics", () => {
  it('exact_match compares a command output or a file with the rule, character for character', () => {
    expect(run('exact_match', output('2\n'), rules({ expected: '2\n' })).score).toBe(1);
    expect(run('exact_match', output('2'), rules({ expected: '2\n' })).score).toBe(0);
    expect(run('exact_match', file(undefined), rules({ expected: '' })).detail).toContain('does not exist');
  });

  it('check_include_exclude wants every include and no exclude, and says which failed', () => {
    const expected = rules({ include: ['alpha', 'beta'], exclude: ['error'] });
    expect(run('check_include_exclude', output('alpha beta'), expected).score).toBe(1);
    const outcome = run('check_include_exclude', output('alpha error'), expected);
    expect(outcome.score).toBe(0);
    expect(outcome.detail).toContain('lacks "beta"');
    expect(outcome.detail).toContain('holds "error"');
  });

  it('fuzzy_match scores how alike the texts are, 1 only when equal', () => {
    expect(run('fuzzy_match', output('A-7Q41-2025'), rules({ expected: 'A-7Q41-2025' })).score).toBe(1);
    const near = run('fuzzy_match', output('A-7Q41-2026'), rules({ expected: 'A-7Q41-2025' })).score;
    expect(near).toBeGreaterThan(0.85);
    expect(near).toBeLessThan(1);
    expect(similarity('', '')).toBe(1);
    expect(similarity('abc', 'xyz')).toBe(0);
    expect(similarity('kitten', 'sitting')).toBeCloseTo(8 / 13);
  });

  it('compare_text_file compares two files, optionally ignoring blanks and case', () => {
    const gold = file('Hello\nWorld\n', 'files/gold.txt');
    expect(run('compare_text_file', file('Hello\nWorld\n'), gold).score).toBe(1);
    expect(run('compare_text_file', file('Hello World'), gold).score).toBe(0);
    expect(
      run('compare_text_file', file('hello   world'), gold, { ignore_blanks: true, ignore_case: true }).score,
    ).toBe(1);
    expect(run('compare_text_file', file(undefined), gold).score).toBe(0);
  });

  it('check_direct_json_object compares the listed keys, or looks them up inside with expect_in_result', () => {
    const expected = rules({ expected: { theme: 'Moheli', sizes: [1, 2] } });
    expect(
      run('check_direct_json_object', output('{"sizes": [1, 2], "theme": "Moheli", "x": 1}'), expected).score,
    ).toBe(1);
    expect(
      run('check_direct_json_object', output('{"theme": "Default", "sizes": [1, 2]}'), expected).detail,
    ).toContain('theme = "Default"');
    expect(run('check_direct_json_object', output('not json'), expected).score).toBe(0);
    const inside = rules({ expected: { title: 'Contact', tags: ['b', 'z'] }, expect_in_result: true });
    expect(
      run('check_direct_json_object', output('{"title": "Contact us", "tags": ["a", "b"]}'), inside).score,
    ).toBe(1);
  });

  it('check_list wants a line for every expect pattern and none for an unexpect one', () => {
    const expected = rules({ expect: ['^port = 9090$'], unexpect: ['8080'] });
    expect(run('check_list', file('host = a\nport = 9090\n'), expected).score).toBe(1);
    expect(run('check_list', file('port = 9090\nold = 8080\n'), expected).score).toBe(0);
  });

  it('file_contains wants each expected text in the file', () => {
    expect(run('file_contains', file('one two'), rules({ expected: ['one', 'two'] })).score).toBe(1);
    expect(run('file_contains', file('one'), rules({ expected: 'two' })).score).toBe(0);
  });

  it('check_file_exists and check_file_not_exists read whether the result file is there', () => {
    expect(run('check_file_exists', file('')).score).toBe(1);
    expect(run('check_file_exists', file(undefined)).score).toBe(0);
    expect(run('check_file_not_exists', file(undefined)).score).toBe(1);
    expect(run('check_file_not_exists', file('x')).score).toBe(0);
  });

  it('a rule metric without a rule to compare with is a clear error', () => {
    expect(() => run('exact_match', output('x'), file('y'))).toThrow(/expected \{"type": "rule"\}/);
  });
});
