import type { EvalEntry, EvalReport } from './eval-report.ts';
import { type ResultGroup, resultBreakdown } from './report-breakdown.ts';
import type { EvalStep } from './report-steps.ts';

/** Everything from the report goes through here: task text, model words and checker output are untrusted. */
export const escapeHtml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

// `skipped` is written by the runner when a task could not be attempted; older reports lack it.
type Entry = EvalEntry & { skipped?: unknown };

function outcome(entry: Entry): { label: string; css: string } {
  if (entry.skipped) return { label: '– skipped', css: 'skip' };
  return entry.passed ? { label: '✔ pass', css: 'pass' } : { label: '✘ fail', css: 'fail' };
}

function skipReason(entry: Entry): string {
  return typeof entry.skipped === 'string' ? entry.skipped : '';
}

/** The agent's status as a CSS class: COMPLETED → status-completed. */
const statusClass = (status: string) => `status-${status.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}`;

function statusBadge(status: string): string {
  return `<span class="status ${statusClass(status)}">${escapeHtml(status)}</span>`;
}

function checkerText(entry: Entry): string {
  const parts = [skipReason(entry), entry.detail, entry.error ?? ''].filter((part) => part !== '');
  return parts.map(escapeHtml).join(' — ');
}

function groupTable(title: string, groups: ResultGroup[]): string {
  const rows = groups
    .map(
      (group) =>
        `<tr><td>${escapeHtml(group.name)}</td><td class="n">${group.passed} / ${group.total}</td>` +
        `<td><meter min="0" max="${group.total}" value="${group.passed}">${group.passed} of ${group.total}</meter></td></tr>`,
    )
    .join('\n');
  return `<table class="groups"><thead><tr><th>${escapeHtml(title)}</th><th>passed</th><th></th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function taskRow(entry: Entry): string {
  const result = outcome(entry);
  return `<tr class="${result.css}">
  <td class="result">${result.label}</td><td>${statusBadge(entry.status)}</td><td><a href="#${escapeHtml(entry.id)}">${escapeHtml(entry.id)}</a></td>
  <td>${escapeHtml(entry.difficulty)}</td><td>${escapeHtml(entry.applications.join(', '))}</td>
  <td class="n">${entry.steps}</td><td class="n">${entry.seconds.toFixed(1)}</td>
  <td class="n">${entry.inputTokens}</td><td class="n">${entry.outputTokens}</td><td class="n">${entry.costUsd.toFixed(4)}</td>
  <td>${checkerText(entry)}</td><td>${escapeHtml(entry.finalMessage ?? '')}</td></tr>`;
}

function stepItem(taskId: string, step: EvalStep): string {
  const picture = step.screenshot
    ? `<a href="${escapeHtml(step.screenshot)}"><img loading="lazy" src="${escapeHtml(step.screenshot)}" alt="${escapeHtml(taskId)}, after step ${step.index}"></a>`
    : '<div class="noshot">no screenshot</div>';
  return `<li class="${step.failed ? 'step failed' : 'step'}">${picture}<div>
  <p class="summary"><b>${step.index}.</b> ${escapeHtml(step.summary)}</p>
  ${step.words ? `<p class="words">${escapeHtml(step.words)}</p>` : ''}</div></li>`;
}

/** Reports written before step lists existed still show their screenshots in order. */
function screenshotStrip(entry: Entry): string {
  if (entry.screenshots.length === 0) return '<p class="facts">No steps recorded.</p>';
  return `<div class="shots">${entry.screenshots
    .map(
      (shot, index) =>
        `<figure><a href="${escapeHtml(shot)}"><img loading="lazy" src="${escapeHtml(shot)}" alt="${escapeHtml(entry.id)}, screenshot ${index + 1}"></a><figcaption>${index + 1}</figcaption></figure>`,
    )
    .join('')}</div>`;
}

function taskSection(entry: Entry): string {
  const result = outcome(entry);
  const steps = entry.stepList;
  const facts = [
    escapeHtml(entry.difficulty),
    escapeHtml(entry.applications.join(', ')),
    entry.feasible ? '' : 'infeasible: passes only when the agent refuses',
    entry.trajectory ? `<a href="${escapeHtml(entry.trajectory)}">trajectory.zip</a>` : '',
  ].filter((fact) => fact !== '');
  return `<section id="${escapeHtml(entry.id)}" class="${result.css}">
<h2><span class="result">${result.label}</span> ${escapeHtml(entry.id)} ${statusBadge(entry.status)}</h2>
<p class="facts">${facts.join(' · ')}</p>
<div class="verdict">
  <div><h3>The agent: ${escapeHtml(entry.status)}</h3><p>${escapeHtml(entry.finalMessage ?? '(no final words)')}</p></div>
  <div><h3>The checker: ${result.label}</h3><p>${checkerText(entry) || '(no detail)'}</p></div>
</div>
${
  steps && steps.length > 0
    ? `<ol class="steps">\n${steps.map((step) => stepItem(entry.id, step)).join('\n')}\n</ol>`
    : screenshotStrip(entry)
}
</section>`;
}

const style = `body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d1d1f; }
table { border-collapse: collapse; margin-bottom: 16px; } th, td { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.result { white-space: nowrap; } .fail .result { color: #b00020; } .pass .result { color: #0a7d32; } .skip .result { color: #777; }
.status { font-size: 12px; padding: 1px 6px; border-radius: 4px; background: #eee; white-space: nowrap; }
.status-completed { background: #dff3e4; } .status-needs-help, .status-needs-review { background: #fff1cc; }
.status-failed, .status-cancelled { background: #fde0e0; }
.groupings { display: flex; gap: 32px; flex-wrap: wrap; }
section { border-top: 2px solid #ddd; margin-top: 24px; } .facts { color: #555; }
.verdict { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.verdict > div { background: #f6f6f8; padding: 8px 12px; border-radius: 6px; } .verdict h3 { margin: 0 0 4px; font-size: 14px; }
.verdict p { margin: 0; white-space: pre-wrap; }
ol.steps { list-style: none; padding: 0; } li.step { display: flex; gap: 12px; margin: 8px 0; } li.step > a { flex: none; }
li.step.failed .summary { color: #b00020; } .summary { margin: 0 0 4px; } .words { margin: 0; color: #333; white-space: pre-wrap; }
li.step img, .noshot { width: 360px; } .noshot { flex: none; color: #999; font-size: 12px; }
.shots { display: flex; flex-wrap: wrap; gap: 8px; } figure { margin: 0; }
img { width: 240px; flex: none; border: 1px solid #ccc; } figcaption { font-size: 12px; color: #666; }`;

/**
 * report.html: the figures, the results by application and difficulty, the table, then each task with what
 * the agent said beside what the checker saw, and its steps (a line, the model's words, the screen after).
 * One file with no scripts, so it opens anywhere and under a strict content security policy.
 */
export function renderHtml(report: EvalReport): string {
  const entries = report.tasks as Entry[];
  const breakdown = resultBreakdown(entries);
  const cost = entries.reduce((sum, entry) => sum + entry.costUsd, 0);
  const steps = entries.reduce((sum, entry) => sum + entry.steps, 0);
  const skipped = entries.filter((entry) => entry.skipped).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Bytebot evaluation: ${escapeHtml(report.suite)} with ${escapeHtml(report.model)}</title>
<style>
${style}
</style></head><body>
<h1>${escapeHtml(report.suite)}: ${report.passed} of ${report.total} passed</h1>
<p>Provider ${escapeHtml(report.provider)}, model ${escapeHtml(report.model)}, ${report.desktops} desktop(s), started ${escapeHtml(report.startedAt)}, ${report.seconds.toFixed(1)} s, ${steps} steps, $${cost.toFixed(4)}${skipped > 0 ? `, ${skipped} skipped` : ''}.</p>
<div class="groupings">
${groupTable('application', breakdown.applications)}
${groupTable('difficulty', breakdown.difficulties)}
</div>
<table class="tasks"><thead><tr><th></th><th>agent status</th><th>task</th><th>difficulty</th><th>applications</th><th>steps</th><th>seconds</th><th>input tokens</th><th>output tokens</th><th>USD</th><th>checker</th><th>agent's last words</th></tr></thead>
<tbody>
${entries.map(taskRow).join('\n')}
</tbody></table>
${entries.map(taskSection).join('\n')}
</body></html>
`;
}
