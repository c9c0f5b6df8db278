import type { TrajectoryStep } from '@bytebot/trajectory';
import { describe, expect, it } from 'vitest';
import type { EvalEntry, EvalReport } from './eval-report.ts';
import { resultBreakdown } from './report-breakdown.ts';
import { renderHtml } from './report-html.ts';
import { listSteps } from './report-steps.ts';

function entry(id: string, fields: Partial<EvalEntry & { skipped: string }>): EvalEntry {
  return {
    id,
    passed: false,
    steps: 3,
    seconds: 12.5,
    inputTokens: 100,
    outputTokens: 20,
    costUsd: 0.01,
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
    ...fields,
  };
}

const report: EvalReport = {
  suite: 'starter',
  provider: 'scripted',
  model: 'claude-sonnet-5-5',
  desktops: 1,
  startedAt: '2026-12-01T20:00:00.000Z',
  seconds: 60,
  passed: 2,
  total: 4,
  tasks: [
    entry('make-file', {
      passed: true,
      detail: 'notes.txt holds "hello"',
      finalMessage: 'Created the file',
      trajectory: 'tasks/make-file/trajectory.zip',
      screenshots: ['tasks/make-file/001.png', 'tasks/make-file/002.png'],
      stepList: [
        {
          index: 1,
          summary: 'Opened the terminal',
          words: 'I will open a terminal first.',
          screenshot: 'tasks/make-file/001.png',
          failed: false,
        },
        {
          index: 2,
          summary: 'Typed "echo hello > notes.txt"',
          words: '',
          screenshot: 'tasks/make-file/002.png',
          failed: false,
        },
      ],
    }),
    entry('web-form', {
      passed: true,
      difficulty: 'hard',
      applications: ['firefox', 'terminal'],
      detail: 'the form was posted',
    }),
    entry('<script>alert(1)</script>', {
      status: 'NEEDS_HELP',
      difficulty: 'medium',
      applications: ['firefox'],
      detail: 'expected <b>"bold"</b> & got nothing',
      finalMessage: "I can't find the <input> field",
      screenshots: ['tasks/x/001.png'],
    }),
    entry('set-wallpaper', { difficulty: 'easy', applications: ['settings'], skipped: 'xfconf is missing' }),
  ],
};

describe('report.html', () => {
  const html = renderHtml(report);

  it("shows each task's agent status and its pass or fail, with the checker's detail beside the agent's words", () => {
    expect(html).toContain('starter: 2 of 4 passed');
    expect(html).toContain('<span class="status status-completed">COMPLETED</span>');
    expect(html).toContain('<span class="status status-needs-help">NEEDS_HELP</span>');
    const section = html.slice(html.indexOf('<section id="make-file"'));
    expect(section).toContain('<h3>The agent: COMPLETED</h3><p>Created the file</p>');
    expect(section).toContain('<h3>The checker: ✔ pass</h3><p>notes.txt holds &quot;hello&quot;</p>');
    expect(html).toContain('<tr class="fail">');
    expect(html).toContain('– skipped');
    expect(html).toContain('xfconf is missing');
  });

  it('lists the steps: a line each, the model words, the screenshot after it', () => {
    expect(html).toContain('<b>1.</b> Opened the terminal');
    expect(html).toContain('<p class="words">I will open a terminal first.</p>');
    expect(html).toContain('src="tasks/make-file/001.png"');
    expect(html).toContain('Typed &quot;echo hello &gt; notes.txt&quot;');
    // A report without step lists still shows its screenshots.
    expect(html).toContain('src="tasks/x/001.png"');
  });

  it('breaks the results down by application and by difficulty', () => {
    const breakdown = resultBreakdown(report.tasks);
    expect(breakdown.applications).toEqual([
      { name: 'firefox', passed: 1, total: 2 },
      { name: 'settings', passed: 0, total: 1 },
      { name: 'terminal', passed: 2, total: 2 },
    ]);
    expect(breakdown.difficulties).toEqual([
      { name: 'easy', passed: 1, total: 2 },
      { name: 'medium', passed: 0, total: 1 },
      { name: 'hard', passed: 1, total: 1 },
    ]);
    expect(html).toContain('<tr><td>firefox</td><td class="n">1 / 2</td>');
    expect(html).toContain('<tr><td>hard</td><td class="n">1 / 1</td>');
  });

  it('escapes every text from the run and holds no script', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/\son[a-z]+=/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('expected &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; got nothing');
    expect(html).toContain('I can&#39;t find the &lt;input&gt; field');
  });
});

describe('step lists from a trajectory', () => {
  it('joins the calls of a step, marks errors, and points at the written screenshot', () => {
    const shot = `images/${'a'.repeat(64)}.png`;
    const steps: TrajectoryStep[] = [
      {
        index: 1,
        at: '2026-12-01T20:00:00.000Z',
        text: 'Clicking the menu.',
        calls: [
          { id: 'c1', name: 'computer', input: {}, summary: 'Clicked at (10, 20)', screenshot: shot },
          { id: 'c2', name: 'read_file', input: {}, result: { text: 'no such file', isError: true } },
        ],
        screenshotAfter: shot,
      },
      { index: 2, at: '2026-12-01T20:00:01.000Z', text: 'x'.repeat(5000), calls: [] },
    ];
    const listed = listSteps(steps, new Map([[shot, 'tasks/t/001.png']]));
    expect(listed[0]).toEqual({
      index: 1,
      summary: 'Clicked at (10, 20); read_file (error: no such file)',
      words: 'Clicking the menu.',
      screenshot: 'tasks/t/001.png',
      failed: true,
    });
    expect(listed[1]?.summary).toBe('No action');
    expect(listed[1]?.screenshot).toBeNull();
    expect(listed[1]?.words.length).toBe(1000);
  });
});
