import type { EvalStep } from './report-steps.ts';

/** One task's line of report.json. */
export interface EvalEntry {
  id: string;
  passed: boolean;
  steps: number;
  /** From the task's creation to its end in the agent (the model's and the desktop's time). */
  seconds: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  error: string | null;
  /** What the checker saw. */
  detail: string;
  /** The agent's last status for the task. */
  status: string;
  /** The agent's last words on the task (its set_task_status description, or its last text). */
  finalMessage: string | null;
  /** Whether the task can be done: an infeasible one passes only when refused (see EvalTask.feasible). */
  feasible: boolean;
  difficulty: string;
  applications: string[];
  /** The runner's own time around the task: a fresh desktop, the setup, the checker. */
  overheadMs: { reset: number; setup: number; check: number };
  /** Relative to the report folder: the task's trajectory, and its screenshots in order. */
  trajectory: string | null;
  screenshots: string[];
  /** Each model turn in a line, with its words and screen (absent in reports from before it existed). */
  stepList?: EvalStep[];
  /** Why the task was not attempted (e.g. 'unsupported metric "compare_pptx_files"'): neither passed nor failed. */
  skipped?: string;
}

export interface EvalReport {
  suite: string;
  provider: string;
  model: string;
  desktops: number;
  startedAt: string;
  seconds: number;
  passed: number;
  total: number;
  /** Tasks not attempted (see EvalEntry.skipped): counted in total, in neither passed nor failed. */
  skipped?: number;
  tasks: EvalEntry[];
}

/** The table printed at the end of a run (and the figures in it). */
export function formatTable(report: EvalReport): string {
  const rows = report.tasks.map((entry) => [
    entry.skipped ? 'skip' : entry.passed ? 'pass' : 'FAIL',
    entry.id,
    String(entry.steps),
    entry.seconds.toFixed(1),
    String(entry.inputTokens),
    String(entry.outputTokens),
    entry.costUsd.toFixed(4),
    (entry.skipped ?? entry.error ?? (entry.passed ? '' : entry.detail)).slice(0, 60),
  ]);
  const header = ['', 'task', 'steps', 'seconds', 'in', 'out', 'USD', 'error'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column >= 2 && column <= 6 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const cost = report.tasks.reduce((sum, entry) => sum + entry.costUsd, 0);
  const skipped = report.skipped ?? 0;
  const attempted = report.total - skipped;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${report.passed} of ${attempted} passed (${((100 * report.passed) / Math.max(1, attempted)).toFixed(0)}%)` +
      `${skipped > 0 ? `, ${skipped} skipped` : ''} · ` +
      `${report.seconds.toFixed(1)} s with ${report.desktops} desktop${report.desktops === 1 ? '' : 's'} · $${cost.toFixed(4)}`,
  ].join('\n');
}
