import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DesktopSlot,
  describeTaskCheck,
  type EvalSuite,
  type SuiteWebServer,
  startSuiteWebServer,
  suites,
  taskChecker,
} from '@bytebot/eval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const suite = suites.starter as EvalSuite;

/**
 * Every task's checker refuses the state right after setup, each of its near misses and its shortcut (the
 * expected files written directly). One desktop for all: between cases it is put back (the account's new
 * processes ended, the home folder restored) instead of started anew, which would take the whole suite
 * over ten minutes; tasks about settings, which live outside the home folder, get fresh desktops. The
 * solutions themselves are played by eval-suite.test.ts.
 */
describe("the starter suite's checkers refuse near misses", () => {
  const folder = mkdtempSync(join(tmpdir(), 'bytebot-eval-near-misses-'));
  let web: SuiteWebServer;
  let slot: DesktopSlot;
  let checker: ReturnType<typeof taskChecker>;

  beforeAll(async () => {
    web = await startSuiteWebServer(suite.pages);
    slot = new DesktopSlot({
      screen: { width: 1280, height: 960 },
      folder,
      token: randomBytes(16).toString('hex'),
      log: () => undefined,
    });
    await slot.open();
    checker = taskChecker(slot, web, 'reset');
  }, 120_000);

  afterAll(async () => {
    await checker?.close();
    await slot?.close();
    await web?.close();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it('has near misses for most tasks', () => {
    expect(suite.tasks.filter((task) => task.nearMisses).length).toBeGreaterThanOrEqual(25);
  });

  it.each(suite.tasks.map((task) => [task.id, task] as const))(
    '%s: refuses the state after setup and after each near miss',
    async (id, task) => {
      const started = Date.now();
      const lines = await checker.check(task, { solution: false });
      const report = describeTaskCheck(id, lines, (Date.now() - started) / 1000);
      console.log(report);
      expect(lines.filter((line) => !line.ok).map((line) => `${line.what}: ${line.result.detail}`)).toEqual(
        [],
      );
    },
    300_000,
  );
});
