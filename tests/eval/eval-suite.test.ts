import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EvalReport, type EvalSuite, type EvalTask, runEvaluation, suites } from '@bytebot/eval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * One scripted run of the whole suite carries most of this file: every further run is of the no-op model
 * (whose every checker must say no), or of a few tasks. The checkers themselves, task by task, are
 * `npm run eval:check`'s; this file is about the runner, the agent and the stand-in models together.
 */

const suite = suites.starter as EvalSuite;
const folder = mkdtempSync(join(tmpdir(), 'bytebot-eval-test-'));

type StandIn = 'scripted' | 'no-op' | 'write-file';

function run(provider: StandIn, desktops: number, name: string, taskIds?: string[]): Promise<EvalReport> {
  return runEvaluation({
    suite,
    provider,
    model: 'claude-sonnet-5-5',
    desktops,
    reportDirectory: join(folder, name),
    maxSteps: 40,
    maxMinutes: 3,
    ...(taskIds ? { taskIds } : {}),
  });
}

const outcomes = (report: EvalReport) =>
  Object.fromEntries(
    report.tasks.map((entry) => [
      entry.id,
      `${entry.status}: ${entry.passed ? 'passed' : `failed: ${entry.error ?? entry.detail}`}`,
    ]),
  );

const feasible = (task: EvalTask) => task.feasible !== false;

/** A few tasks of different applications, one that cannot be done among them: enough to compare runs. */
const sample = [
  suite.tasks.find((task) => feasible(task) && task.applications.join() === 'terminal'),
  suite.tasks.find((task) => feasible(task) && task.applications.join() === 'text_editor'),
  suite.tasks.find((task) => feasible(task) && task.applications.join() === 'file_manager'),
  suite.tasks.find((task) => !feasible(task)),
].flatMap((task) => (task ? [task.id] : []));

/**
 * The no-op model's tasks: one of each application and every infeasible one. Every task's checker is shown
 * to refuse the untouched desktop by eval-near-misses.test.ts; this run shows the agent's side: the claim
 * taken (COMPLETED), and still no pass.
 */
const idleSample = [
  ...(['terminal', 'text_editor', 'file_manager', 'firefox', 'settings', 'clipboard'] as const).flatMap(
    (application) =>
      suite.tasks
        .filter((task) => feasible(task) && task.applications.includes(application))
        .slice(0, 1)
        .map((task) => task.id),
  ),
  ...suite.tasks.filter((task) => !feasible(task)).map((task) => task.id),
].filter((id, index, all) => all.indexOf(id) === index);

/** Tasks whose expected files the write-file model writes, the file tools withheld as by default. */
const shortcutSample = suite.tasks
  .filter((task) => task.shortcut && !task.tools?.includes('write_file'))
  .slice(0, 4)
  .map((task) => task.id);

describe('the starter suite, run by the evaluation runner through the agent', () => {
  let twoDesktops: EvalReport;

  beforeAll(async () => {
    twoDesktops = await run('scripted', 2, 'two-desktops');
  }, 2_400_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('has at least 25 tasks over the desktop applications, of several difficulties, some across applications', () => {
    expect(suite.tasks.length).toBeGreaterThanOrEqual(25);
    expect(new Set(suite.tasks.map((task) => task.id)).size).toBe(suite.tasks.length);
    expect(new Set(suite.tasks.map((task) => task.description)).size).toBe(suite.tasks.length);
    const applications = new Set(suite.tasks.flatMap((task) => task.applications));
    for (const application of ['terminal', 'text_editor', 'file_manager', 'firefox', 'settings']) {
      expect(applications).toContain(application);
    }
    expect(new Set(suite.tasks.map((task) => task.difficulty))).toEqual(new Set(['easy', 'medium', 'hard']));
    expect(suite.tasks.filter((task) => task.applications.length > 1).length).toBeGreaterThanOrEqual(3);
    expect(suite.tasks.filter((task) => !feasible(task)).length).toBeGreaterThanOrEqual(5);
    expect(sample).toHaveLength(4);
    expect(shortcutSample.length).toBeGreaterThanOrEqual(3);
    expect(idleSample.length).toBeGreaterThanOrEqual(12);
  });

  it('passes every task when the scripted model plays its solution, and it refuses those that cannot be done', () => {
    const failed = twoDesktops.tasks.filter((entry) => !entry.passed);
    expect(
      failed.map((entry) => `${entry.id}: ${entry.status} ${entry.error ?? ''} ${entry.detail}`),
    ).toEqual([]);
    expect(twoDesktops.tasks).toHaveLength(suite.tasks.length);
    for (const entry of twoDesktops.tasks) {
      expect(entry.inputTokens).toBeGreaterThan(0);
      if (entry.feasible) {
        expect([entry.id, entry.status]).toEqual([entry.id, 'COMPLETED']);
        expect(entry.steps).toBeGreaterThan(1);
        expect(entry.screenshots.length).toBeGreaterThan(0);
      } else {
        expect([entry.id, ['NEEDS_HELP', 'FAILED'].includes(entry.status)]).toEqual([entry.id, true]);
        expect(entry.finalMessage).toMatch(/cannot do this/);
      }
    }
  });

  it('writes report.json with the status and final words of each task, and report.html with the screenshots', () => {
    const written = JSON.parse(
      readFileSync(join(folder, 'two-desktops', 'report.json'), 'utf8'),
    ) as EvalReport;
    expect(written.tasks.map((entry) => entry.id)).toEqual(suite.tasks.map((task) => task.id));
    for (const entry of written.tasks) {
      for (const field of [
        'id',
        'passed',
        'steps',
        'seconds',
        'inputTokens',
        'outputTokens',
        'costUsd',
        'error',
        'status',
        'finalMessage',
        'feasible',
      ]) {
        expect(entry).toHaveProperty(field);
      }
      expect(entry.finalMessage).toEqual(expect.any(String));
      expect(existsSync(join(folder, 'two-desktops', entry.trajectory ?? 'missing'))).toBe(true);
    }
    const html = readFileSync(join(folder, 'two-desktops', 'report.html'), 'utf8');
    const first = written.tasks[0];
    expect(html).toContain(`${written.passed} of ${written.total} passed`);
    expect(html).toContain(`src="${first?.screenshots[0]}"`);
    expect(existsSync(join(folder, 'two-desktops', first?.screenshots[0] ?? 'missing'))).toBe(true);
  });

  it('gives the same results on one desktop as on two', async () => {
    const oneDesktop = await run('scripted', 1, 'one-desktop', sample);
    const same = twoDesktops.tasks.filter((entry) => sample.includes(entry.id));
    expect(outcomes(oneDesktop)).toEqual(outcomes({ ...twoDesktops, tasks: same }));
  }, 600_000);

  it('fails every task of its sample when the model does nothing and claims success', async () => {
    const idle = await run('no-op', 2, 'no-op', idleSample);
    expect(idle.tasks.map((entry) => entry.id)).toEqual(idleSample);
    // The agent took the claim: every task ended COMPLETED, and every one still failed (the checker said
    // no, or, for a task that cannot be done, the claim itself is wrong).
    expect(idle.tasks.filter((entry) => entry.status !== 'COMPLETED').map((entry) => entry.id)).toEqual([]);
    expect(idle.tasks.filter((entry) => entry.passed).map((entry) => entry.id)).toEqual([]);
    expect(idle.passed).toBe(0);
  }, 1_200_000);

  it('fails the tasks whose files the model only writes with write_file: the agent refuses the tool', async () => {
    const writer = await run('write-file', 2, 'write-file', shortcutSample);
    expect(writer.tasks.map((entry) => entry.id)).toEqual(shortcutSample);
    expect(writer.tasks.filter((entry) => entry.passed).map((entry) => entry.id)).toEqual([]);
    for (const entry of writer.tasks) {
      expect([entry.id, entry.status]).toEqual([entry.id, 'COMPLETED']);
      // Every write_file call came back refused, unrun: the files were never written.
      const writes = (entry.stepList ?? [])
        .flatMap((step) => step.summary.split('; '))
        .filter((line) => line.startsWith('Wrote '));
      expect(writes.length).toBeGreaterThan(0);
      for (const line of writes) expect(line).toContain('(error: write_file is not available on this task');
    }
  }, 600_000);
});
