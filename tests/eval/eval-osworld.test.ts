import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EvalReport, type EvalSuite, loadOsworldSuite, runEvaluation } from '@bytebot/eval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const tasksFolder = new URL('../../packages/eval/osworld-tasks/', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'bytebot-eval-osworld-'));

function run(suite: EvalSuite, provider: 'scripted' | 'no-op', name: string): Promise<EvalReport> {
  return runEvaluation({
    suite,
    provider,
    model: 'claude-sonnet-5-5',
    desktops: 2,
    reportDirectory: join(folder, name),
    maxSteps: 20,
    maxMinutes: 3,
  });
}

describe('the OSWorld-format tasks folder, run by the evaluation runner through the agent (--tasks)', () => {
  const suite = loadOsworldSuite(tasksFolder);
  const supported = suite.tasks.filter((task) => !task.unsupported);
  const unsupported = suite.tasks.filter((task) => task.unsupported);
  let scripted: EvalReport;

  beforeAll(async () => {
    scripted = await run(suite, 'scripted', 'scripted');
  }, 600_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('holds at least 10 runnable tasks over the desktop applications, and some this runner cannot run', () => {
    expect(supported.length).toBeGreaterThanOrEqual(10);
    const applications = new Set(supported.flatMap((task) => task.applications));
    for (const application of ['terminal', 'text_editor', 'file_manager', 'firefox', 'settings'])
      expect(applications).toContain(application);
    expect(unsupported.length).toBeGreaterThanOrEqual(1);
  });

  it('passes every supported task when the scripted model plays its solution, and skips the others', () => {
    const outcomes = Object.fromEntries(
      scripted.tasks.map((entry) => [
        entry.id,
        entry.skipped
          ? `skipped: ${entry.skipped}`
          : entry.passed
            ? 'passed'
            : `failed: ${entry.error ?? ''} ${entry.detail}`,
      ]),
    );
    expect(outcomes).toEqual(
      Object.fromEntries(
        suite.tasks.map((task) => [task.id, task.unsupported ? `skipped: ${task.unsupported}` : 'passed']),
      ),
    );
    expect(unsupported.map((task) => task.unsupported)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^unsupported (download from https:|getter "vm_terminal_output")/),
      ]),
    );
    // The agent ended each feasible task done, and refused the one that cannot be done (func "infeasible").
    for (const entry of scripted.tasks.filter((task) => !task.skipped))
      expect(entry.status).toBe(entry.feasible ? 'COMPLETED' : 'NEEDS_HELP');
    expect(scripted.tasks.filter((entry) => !entry.feasible).length).toBeGreaterThanOrEqual(1);
    expect(scripted.passed).toBe(supported.length);
    expect(scripted.skipped).toBe(unsupported.length);
    expect(scripted.total).toBe(suite.tasks.length);
  });

  it('passes none when the model does nothing and claims success', async () => {
    const idle = await run(suite, 'no-op', 'no-op');
    expect(idle.tasks.filter((entry) => entry.passed).map((entry) => entry.id)).toEqual([]);
    expect(idle.tasks.filter((entry) => entry.skipped).map((entry) => entry.id)).toEqual(
      unsupported.map((task) => task.id),
    );
    expect(idle.passed).toBe(0);
  }, 600_000);
});
