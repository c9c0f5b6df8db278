import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EvalReport, type EvalSuite, runEvaluation, suites } from '@bytebot/eval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const folder = mkdtempSync(join(tmpdir(), 'bytebot-eval-report-'));
const taskIds = ['terminal-write-greeting', 'editor-append-todo'];

describe('report.html of a real run: statuses, step lists and breakdowns from the saved trajectories', () => {
  let report: EvalReport;

  beforeAll(async () => {
    report = await runEvaluation({
      suite: suites.starter as EvalSuite,
      provider: 'scripted',
      model: 'claude-sonnet-5-5',
      desktops: 1,
      reportDirectory: folder,
      maxSteps: 40,
      maxMinutes: 3,
      taskIds,
    });
  }, 600_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("keeps each task's steps in report.json: a line per step, the model's words, a screenshot beside the report", () => {
    const written = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as EvalReport;
    expect(written.tasks.map((entry) => entry.id)).toEqual(taskIds);
    for (const entry of written.tasks) {
      const steps = entry.stepList ?? [];
      expect(steps.length).toBe(entry.steps);
      expect(steps.every((step) => step.summary.length > 0)).toBe(true);
      const shots = steps.flatMap((step) => (step.screenshot ? [step.screenshot] : []));
      expect(shots.length).toBeGreaterThan(0);
      for (const shot of shots) {
        expect(entry.screenshots).toContain(shot);
        expect(existsSync(join(folder, shot))).toBe(true);
      }
    }
    expect(report.tasks.map((entry) => entry.stepList?.length)).toEqual(
      written.tasks.map((entry) => entry.stepList?.length),
    );
  });

  it('renders the statuses, the steps and the breakdowns, without scripts', () => {
    const html = readFileSync(join(folder, 'report.html'), 'utf8');
    expect(html).toContain(`${report.passed} of ${report.total} passed`);
    expect(html).toContain('<span class="status status-completed">COMPLETED</span>');
    const first = report.tasks[0]?.stepList?.[0];
    expect(html).toContain(`<b>1.</b> ${first?.summary.replaceAll('"', '&quot;')}`);
    expect(html).toContain(`<tr><td>terminal</td><td class="n">${report.tasks[0]?.passed ? 1 : 0} / 1</td>`);
    expect(html).toContain(`<tr><td>easy</td><td class="n">${report.passed} / 2</td>`);
    expect(html).not.toContain('<script');
  });
});
