import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalEntry, EvalReport } from './eval-report.ts';

type Outcome = 'pass' | 'fail' | 'skipped';

/** How a task moved between the runs: `unchanged` keeps its outcome, `new` and `missing` are in one run only. */
export type TaskChange = 'new' | 'missing' | 'unchanged' | `${Outcome}→${Outcome}`;

interface Figures {
  steps: number;
  seconds: number;
  costUsd: number;
}

export interface TaskComparison {
  id: string;
  change: TaskChange;
  before: (Figures & { outcome: Outcome }) | null;
  after: (Figures & { outcome: Outcome }) | null;
  /** after − before; null unless the task is in both runs. */
  delta: Figures | null;
}

interface RunSummary extends Figures {
  file: string;
  suite: string;
  model: string;
  startedAt: string;
  passed: number;
  total: number;
}

export interface ReportComparison {
  before: RunSummary;
  after: RunSummary;
  /** Over the tasks of each whole run (so new and missing tasks count too). */
  delta: Figures & { passed: number; total: number };
  /** How many tasks each change has; only those that occur. */
  changes: Partial<Record<TaskChange, number>>;
  tasks: TaskComparison[];
}

/**
 * Reads a report.json (or a run's folder holding one), with an error naming the file when it is absent or
 * is not an evaluation report.
 */
export function readReport(path: string): EvalReport & { file: string } {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'report.json') : path;
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not an evaluation report (not JSON: ${(error as Error).message})`);
  }
  const report = parsed as Partial<EvalReport> | null;
  const entriesLookRight =
    Array.isArray(report?.tasks) &&
    report.tasks.every(
      (entry) =>
        typeof entry?.id === 'string' &&
        typeof entry.passed === 'boolean' &&
        typeof entry.steps === 'number' &&
        typeof entry.seconds === 'number' &&
        typeof entry.costUsd === 'number',
    );
  if (!report || typeof report !== 'object' || typeof report.suite !== 'string' || !entriesLookRight)
    throw new Error(
      `${file}: not an evaluation report (expected report.json of npm run eval: a suite and tasks with id, passed, steps, seconds, costUsd)`,
    );
  return { ...(report as EvalReport), file };
}

function outcome(entry: EvalEntry): Outcome {
  // `skipped` comes from runners newer than the EvalEntry type some reports were written with.
  if ((entry as EvalEntry & { skipped?: unknown }).skipped) return 'skipped';
  return entry.passed ? 'pass' : 'fail';
}

const figures = (entry: EvalEntry): Figures => ({
  steps: entry.steps,
  seconds: entry.seconds,
  costUsd: entry.costUsd,
});

const sum = (entries: EvalEntry[]): Figures => ({
  steps: entries.reduce((total, entry) => total + entry.steps, 0),
  seconds: entries.reduce((total, entry) => total + entry.seconds, 0),
  costUsd: entries.reduce((total, entry) => total + entry.costUsd, 0),
});

const minus = (after: Figures, before: Figures): Figures => ({
  steps: after.steps - before.steps,
  seconds: after.seconds - before.seconds,
  costUsd: after.costUsd - before.costUsd,
});

function summary(report: EvalReport & { file?: string }): RunSummary {
  return {
    file: report.file ?? '',
    suite: report.suite,
    model: report.model,
    startedAt: report.startedAt,
    passed: report.tasks.filter((entry) => entry.passed).length,
    total: report.tasks.length,
    ...sum(report.tasks),
  };
}

/** Task by task, in the order of the later run, then the tasks it no longer has. */
export function compareReports(
  before: EvalReport & { file?: string },
  after: EvalReport & { file?: string },
): ReportComparison {
  const earlier = new Map(before.tasks.map((entry) => [entry.id, entry]));
  const later = new Set(after.tasks.map((entry) => entry.id));
  const tasks: TaskComparison[] = after.tasks.map((entry) => {
    const old = earlier.get(entry.id);
    const now = { ...figures(entry), outcome: outcome(entry) };
    if (!old) return { id: entry.id, change: 'new', before: null, after: now, delta: null };
    const then = { ...figures(old), outcome: outcome(old) };
    return {
      id: entry.id,
      change: then.outcome === now.outcome ? 'unchanged' : `${then.outcome}→${now.outcome}`,
      before: then,
      after: now,
      delta: minus(now, then),
    };
  });
  for (const old of before.tasks.filter((entry) => !later.has(entry.id)))
    tasks.push({
      id: old.id,
      change: 'missing',
      before: { ...figures(old), outcome: outcome(old) },
      after: null,
      delta: null,
    });
  const changes: Partial<Record<TaskChange, number>> = {};
  for (const task of tasks) changes[task.change] = (changes[task.change] ?? 0) + 1;
  const first = summary(before);
  const second = summary(after);
  return {
    before: first,
    after: second,
    delta: {
      ...minus(second, first),
      passed: second.passed - first.passed,
      total: second.total - first.total,
    },
    changes,
    tasks,
  };
}

const signed = (value: number, digits: number) =>
  `${value > 0 ? '+' : value < 0 ? '−' : '±'}${Math.abs(value).toFixed(digits)}`;

function deltaCells(task: TaskComparison): string[] {
  if (!task.delta) return ['', '', ''];
  return [signed(task.delta.steps, 0), signed(task.delta.seconds, 1), signed(task.delta.costUsd, 4)];
}

/** A Markdown table whose last three columns (the deltas) are right-aligned. */
function table(header: string[], rows: string[][]): string[] {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, column) => (column < header.length - 3 ? ' --- |' : ' ---: |')).join('')}`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

/** compare.md: the runs, the totals, the tasks that changed, then every task's deltas (Markdown). */
export function formatComparison(comparison: ReportComparison): string {
  const { before, after, delta } = comparison;
  const run = (label: string, summary: RunSummary) =>
    `- ${label}: \`${summary.file}\` (${summary.suite}, ${summary.model}, started ${summary.startedAt}): ` +
    `${summary.passed} of ${summary.total} passed, ${summary.steps} steps, ${summary.seconds.toFixed(1)} s, $${summary.costUsd.toFixed(4)}`;
  const changed = comparison.tasks.filter((task) => task.change !== 'unchanged');
  const counts = Object.entries(comparison.changes)
    .map(([change, count]) => `${count} ${change}`)
    .join(', ');
  const figuresOf = (side: TaskComparison['before']) =>
    side
      ? `${side.outcome}, ${side.steps} steps, ${side.seconds.toFixed(1)} s, $${side.costUsd.toFixed(4)}`
      : '—';
  return [
    '# Evaluation comparison',
    '',
    run('before', before),
    run('after', after),
    '',
    `Passed ${signed(delta.passed, 0)} (${before.passed} → ${after.passed}), tasks ${signed(delta.total, 0)}, ` +
      `steps ${signed(delta.steps, 0)}, seconds ${signed(delta.seconds, 1)}, USD ${signed(delta.costUsd, 4)}.`,
    `Tasks: ${counts || 'none'}.`,
    '',
    '## Changed',
    '',
    ...(changed.length === 0
      ? ['No task changed its outcome.']
      : table(
          ['task', 'change', 'before', 'after', 'Δ steps', 'Δ seconds', 'Δ USD'],
          changed.map((task) => [
            task.id,
            task.change,
            figuresOf(task.before),
            figuresOf(task.after),
            ...deltaCells(task),
          ]),
        )),
    '',
    '## Every task',
    '',
    ...table(
      ['task', 'change', 'Δ steps', 'Δ seconds', 'Δ USD'],
      comparison.tasks.map((task) => [task.id, task.change, ...deltaCells(task)]),
    ),
    '',
  ].join('\n');
}

/** Compares two runs and writes compare.json and compare.md into `directory`; answers the text and the files. */
export function writeComparison(
  beforePath: string,
  afterPath: string,
  directory: string,
): { text: string; files: string[] } {
  const comparison = compareReports(readReport(beforePath), readReport(afterPath));
  const text = formatComparison(comparison);
  mkdirSync(directory, { recursive: true });
  const files = [join(directory, 'compare.json'), join(directory, 'compare.md')];
  writeFileSync(files[0] as string, `${JSON.stringify(comparison, null, 2)}\n`);
  writeFileSync(files[1] as string, text);
  return { text, files };
}
