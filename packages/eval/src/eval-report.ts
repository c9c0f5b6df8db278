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
  difficulty: string;
  applications: string[];
  /** The runner's own time around the task: a fresh desktop, the setup, the checker. */
  overheadMs: { reset: number; setup: number; check: number };
  /** Relative to the report folder: the task's trajectory, and its screenshots in order. */
  trajectory: string | null;
  screenshots: string[];
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
  tasks: EvalEntry[];
}

/** The table printed at the end of a run (and the figures in it). */
export function formatTable(report: EvalReport): string {
  const rows = report.tasks.map((entry) => [
    entry.passed ? 'pass' : 'FAIL',
    entry.id,
    String(entry.steps),
    entry.seconds.toFixed(1),
    String(entry.inputTokens),
    String(entry.outputTokens),
    entry.costUsd.toFixed(4),
    (entry.error ?? (entry.passed ? '' : entry.detail)).slice(0, 60),
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
  return [
    line(header),
    ...rows.map(line),
    '',
    `${report.passed} of ${report.total} passed (${((100 * report.passed) / Math.max(1, report.total)).toFixed(0)}%) · ` +
      `${report.seconds.toFixed(1)} s with ${report.desktops} desktop${report.desktops === 1 ? '' : 's'} · $${cost.toFixed(4)}`,
  ].join('\n');
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** report.html: the table, then each task's trajectory as its screenshots. One file, no scripts. */
export function renderHtml(report: EvalReport): string {
  const rows = report.tasks
    .map(
      (entry) => `<tr class="${entry.passed ? 'pass' : 'fail'}">
  <td>${entry.passed ? '✔ pass' : '✘ fail'}</td><td><a href="#${escapeHtml(entry.id)}">${escapeHtml(entry.id)}</a></td>
  <td>${escapeHtml(entry.difficulty)}</td><td class="n">${entry.steps}</td><td class="n">${entry.seconds.toFixed(1)}</td>
  <td class="n">${entry.inputTokens}</td><td class="n">${entry.outputTokens}</td><td class="n">${entry.costUsd.toFixed(4)}</td>
  <td>${escapeHtml(entry.error ?? entry.detail)}</td></tr>`,
    )
    .join('\n');
  const trajectories = report.tasks
    .map(
      (entry) => `<section id="${escapeHtml(entry.id)}">
  <h2>${entry.passed ? '✔' : '✘'} ${escapeHtml(entry.id)}</h2>
  <p>${escapeHtml(entry.detail)}${entry.error ? ` — ${escapeHtml(entry.error)}` : ''}${
    entry.trajectory ? ` · <a href="${escapeHtml(entry.trajectory)}">trajectory</a>` : ''
  }</p>
  <div class="shots">${entry.screenshots
    .map(
      (shot, index) =>
        `<figure><a href="${escapeHtml(shot)}"><img loading="lazy" src="${escapeHtml(shot)}" alt="${escapeHtml(entry.id)}, screenshot ${index + 1}"></a><figcaption>${index + 1}</figcaption></figure>`,
    )
    .join('')}</div>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Bytebot evaluation: ${escapeHtml(report.suite)} with ${escapeHtml(report.model)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d1d1f; }
table { border-collapse: collapse; } th, td { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } tr.fail td:first-child { color: #b00020; }
tr.pass td:first-child { color: #0a7d32; } .shots { display: flex; flex-wrap: wrap; gap: 8px; }
figure { margin: 0; } img { width: 240px; border: 1px solid #ccc; } figcaption { font-size: 12px; color: #666; }
</style></head><body>
<h1>${escapeHtml(report.suite)}: ${report.passed} of ${report.total} passed</h1>
<p>Provider ${escapeHtml(report.provider)}, model ${escapeHtml(report.model)}, ${report.desktops} desktop(s), started ${escapeHtml(report.startedAt)}, ${report.seconds.toFixed(1)} s.</p>
<table><thead><tr><th></th><th>task</th><th>difficulty</th><th>steps</th><th>seconds</th><th>input tokens</th><th>output tokens</th><th>USD</th><th>error / checker</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${trajectories}
</body></html>
`;
}
