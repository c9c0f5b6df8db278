import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EvalReport, type EvalSuite, runEvaluation, suites } from '@bytebot/eval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const suite = suites.starter as EvalSuite;
const folder = mkdtempSync(join(tmpdir(), 'bytebot-eval-test-'));

function run(provider: 'scripted' | 'no-op', desktops: number, name: string): Promise<EvalReport> {
  return runEvaluation({
    suite,
    provider,
    model: 'claude-sonnet-5-5',
    desktops,
    reportDirectory: join(folder, name),
    maxSteps: 40,
    maxMinutes: 3,
  });
}

const outcomes = (report: EvalReport) =>
  Object.fromEntries(
    report.tasks.map((entry) => [
      entry.id,
      entry.passed ? 'passed' : `failed: ${entry.error ?? entry.detail}`,
    ]),
  );

describe('the starter suite, run by the evaluation runner through the agent', () => {
  let oneDesktop: EvalReport;

  beforeAll(async () => {
    oneDesktop = await run('scripted', 1, 'one-desktop');
  }, 900_000);

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
  });

  it('passes every task when the scripted model plays its solution', () => {
    const failed = oneDesktop.tasks.filter((entry) => !entry.passed);
    expect(failed.map((entry) => `${entry.id}: ${entry.error ?? ''} ${entry.detail}`)).toEqual([]);
    expect(oneDesktop.tasks).toHaveLength(suite.tasks.length);
    for (const entry of oneDesktop.tasks) {
      expect(entry.status).toBe('COMPLETED');
      expect(entry.steps).toBeGreaterThan(1);
      expect(entry.inputTokens).toBeGreaterThan(0);
      expect(entry.screenshots.length).toBeGreaterThan(0);
    }
  });

  it('writes report.json with one entry per task and report.html with each trajectory as screenshots', () => {
    const written = JSON.parse(
      readFileSync(join(folder, 'one-desktop', 'report.json'), 'utf8'),
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
      ]) {
        expect(entry).toHaveProperty(field);
      }
      expect(existsSync(join(folder, 'one-desktop', entry.trajectory ?? 'missing'))).toBe(true);
    }
    const html = readFileSync(join(folder, 'one-desktop', 'report.html'), 'utf8');
    const first = written.tasks[0];
    expect(html).toContain(`${written.passed} of ${written.total} passed`);
    expect(html).toContain(`src="${first?.screenshots[0]}"`);
    expect(existsSync(join(folder, 'one-desktop', first?.screenshots[0] ?? 'missing'))).toBe(true);
  });

  it('gives the same results with two desktops in parallel', async () => {
    const twoDesktops = await run('scripted', 2, 'two-desktops');
    expect(outcomes(twoDesktops)).toEqual(outcomes(oneDesktop));
  }, 900_000);

  it('fails every checker when the model does nothing and claims success', async () => {
    const idle = await run('no-op', 2, 'no-op');
    expect(idle.tasks).toHaveLength(suite.tasks.length);
    // The agent took the claim: every task ended COMPLETED, and every checker still said no.
    expect(idle.tasks.filter((entry) => entry.status !== 'COMPLETED').map((entry) => entry.id)).toEqual([]);
    expect(idle.tasks.filter((entry) => entry.passed).map((entry) => entry.id)).toEqual([]);
    expect(idle.passed).toBe(0);
  }, 900_000);
});
