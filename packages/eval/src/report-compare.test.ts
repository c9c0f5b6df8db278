import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvalEntry, EvalReport } from './eval-report.ts';
import { compareReports, type ReportComparison, readReport, writeComparison } from './report-compare.ts';

function entry(id: string, passed: boolean, steps: number, seconds: number, costUsd: number): EvalEntry {
  return {
    id,
    passed,
    steps,
    seconds,
    inputTokens: 0,
    outputTokens: 0,
    costUsd,
    error: null,
    detail: '',
    status: 'COMPLETED',
    finalMessage: null,
    feasible: true,
    difficulty: 'easy',
    applications: ['terminal'],
    overheadMs: { reset: 0, setup: 0, check: 0 },
    trajectory: null,
    screenshots: [],
  };
}

function run(startedAt: string, tasks: EvalEntry[]): EvalReport {
  return {
    suite: 'starter',
    provider: 'anthropic',
    model: 'claude-sonnet-5-5',
    desktops: 1,
    startedAt,
    seconds: 100,
    passed: tasks.filter((task) => task.passed).length,
    total: tasks.length,
    tasks,
  };
}

const before = run('2026-11-30T10:00:00.000Z', [
  entry('stays-passing', true, 5, 10, 0.05),
  entry('breaks', true, 4, 8, 0.04),
  entry('gets-fixed', false, 30, 120, 0.3),
  entry('dropped', false, 2, 3, 0.01),
]);
const after = run('2026-12-01T10:00:00.000Z', [
  entry('stays-passing', true, 6, 12, 0.06),
  entry('breaks', false, 10, 20, 0.1),
  entry('gets-fixed', true, 7, 30, 0.07),
  entry('added', true, 3, 5, 0.02),
]);

describe('comparing two evaluation runs', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'report-compare-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('names what changed per task, with deltas per task and in total', () => {
    const comparison: ReportComparison = compareReports(before, after);
    const byId = Object.fromEntries(comparison.tasks.map((task) => [task.id, task]));
    expect(comparison.tasks.map((task) => [task.id, task.change])).toEqual([
      ['stays-passing', 'unchanged'],
      ['breaks', 'pass→fail'],
      ['gets-fixed', 'fail→pass'],
      ['added', 'new'],
      ['dropped', 'missing'],
    ]);
    expect(byId.breaks?.delta).toEqual({ steps: 6, seconds: 12, costUsd: expect.closeTo(0.06, 10) });
    expect(byId['gets-fixed']?.delta?.steps).toBe(-23);
    expect(byId.added?.delta).toBeNull();
    expect(byId.dropped?.after).toBeNull();
    expect(comparison.changes).toEqual({
      unchanged: 1,
      'pass→fail': 1,
      'fail→pass': 1,
      new: 1,
      missing: 1,
    });
    expect(comparison.delta).toEqual({
      passed: 1,
      total: 0,
      steps: 26 - 41,
      seconds: 67 - 141,
      costUsd: expect.closeTo(0.25 - 0.4, 10),
    });
  });

  it('writes compare.json and compare.md with the changed tasks first', () => {
    mkdirSync(join(folder, 'a'));
    writeFileSync(join(folder, 'a', 'report.json'), JSON.stringify(before));
    writeFileSync(join(folder, 'b.json'), JSON.stringify(after));
    // A run's folder stands for its report.json.
    const { text, files } = writeComparison(join(folder, 'a'), join(folder, 'b.json'), join(folder, 'out'));
    expect(files).toEqual([join(folder, 'out', 'compare.json'), join(folder, 'out', 'compare.md')]);
    expect(readFileSync(join(folder, 'out', 'compare.md'), 'utf8')).toBe(text);
    const written = JSON.parse(readFileSync(join(folder, 'out', 'compare.json'), 'utf8')) as ReportComparison;
    expect(written.before.file).toBe(join(folder, 'a', 'report.json'));
    expect(text).toContain('Passed +1 (2 → 3), tasks ±0, steps −15, seconds −74.0, USD −0.1500.');
    const changed = text.slice(text.indexOf('## Changed'), text.indexOf('## Every task'));
    expect(changed).toContain(
      '| breaks | pass→fail | pass, 4 steps, 8.0 s, $0.0400 | fail, 10 steps, 20.0 s, $0.1000 | +6 | +12.0 | +0.0600 |',
    );
    expect(changed).toContain('| dropped | missing | fail, 2 steps, 3.0 s, $0.0100 | — |  |  |  |');
    expect(changed).not.toContain('stays-passing');
    expect(text.slice(text.indexOf('## Every task'))).toContain(
      '| stays-passing | unchanged | +1 | +2.0 | +0.0100 |',
    );
  });

  it('says which file is missing or is not a report', () => {
    writeFileSync(join(folder, 'broken.json'), '{ not json');
    writeFileSync(join(folder, 'other.json'), JSON.stringify({ name: 'package' }));
    expect(() => readReport(join(folder, 'none.json'))).toThrow(`${join(folder, 'none.json')}: no such file`);
    expect(() => readReport(folder)).toThrow(`${join(folder, 'report.json')}: no such file`);
    expect(() => readReport(join(folder, 'broken.json'))).toThrow(
      `${join(folder, 'broken.json')}: not an evaluation report (not JSON`,
    );
    expect(() => readReport(join(folder, 'other.json'))).toThrow(
      `${join(folder, 'other.json')}: not an evaluation report`,
    );
  });
});
