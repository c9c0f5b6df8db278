import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTaskCheck, taskChecker } from './check-task.ts';
import { chooseSuite, readCommandLine, requireTaskIds, usageFailure } from './command-line.ts';
import { DesktopSlot } from './desktop-slot.ts';
import { runAsRoot } from './run-as-root.ts';
import { startSuiteWebServer } from './suite-web-server.ts';
import { suites } from './suites/index.ts';

const usage = `usage: npm run eval:check -- [--suite NAME | --tasks DIR] [--reset] [--task ID ...] [ID ...]

  For suite authors: for each task, on a fresh desktop, the checker must fail right after setup and pass
  once the scripted solution is played straight on bytebotd (no agent); then it must fail after each of
  the task's near misses and its shortcut, each applied after setup on a fresh desktop.

  --suite NAME      ${Object.keys(suites).join(', ')} (default starter)
  --tasks DIR       instead of a suite, the task files in OSWorld's format under DIR (as npm run eval)
  --task ID         check only this task (repeatable; a bare ID is taken the same way)
  --reset           one desktop put back between the cases instead of a fresh one each: much faster`;

// Typed here, not inferred, so TypeScript takes a call to it as the end of the code path.
const fail: (message: string) => never = usageFailure(usage);

function readOptions() {
  const { values, positionals } = readCommandLine(
    {
      suite: { type: 'string' },
      tasks: { type: 'string' },
      task: { type: 'string', multiple: true },
      reset: { type: 'boolean', default: false },
    },
    usage,
    fail,
  );
  const suite = chooseSuite(values.suite as string | undefined, values.tasks as string | undefined, fail);
  const wanted = [...((values.task as string[] | undefined) ?? []), ...positionals];
  requireTaskIds(suite, wanted, fail);
  const tasks = wanted.length > 0 ? suite.tasks.filter((task) => wanted.includes(task.id)) : suite.tasks;
  return { suite, tasks, reset: values.reset === true };
}

const { suite, tasks, reset } = readOptions();
runAsRoot();

const folder = mkdtempSync(join(tmpdir(), 'bytebot-eval-check-'));
const web = await startSuiteWebServer(suite.pages);
const slot = new DesktopSlot({
  screen: { width: 1280, height: 960 },
  folder,
  token: randomBytes(16).toString('hex'),
  log: () => undefined,
});
let failures = 0;
let checked = 0;
let cases = 0;
let failedCases = 0;
try {
  await slot.open();
  const checker = taskChecker(slot, web, reset ? 'reset' : 'fresh');
  try {
    for (const task of tasks) {
      if (task.unsupported) {
        console.log(`skip ${task.id}: ${task.unsupported}`);
        continue;
      }
      checked += 1;
      const started = Date.now();
      const lines = await checker.check(task, { solution: true });
      const ok = lines.every((line) => line.ok);
      if (!ok) failures += 1;
      cases += lines.length;
      failedCases += lines.filter((line) => !line.ok).length;
      console.log(describeTaskCheck(task.id, lines, (Date.now() - started) / 1000));
    }
  } finally {
    await checker.close();
  }
} finally {
  await slot.close();
  await web.close();
  rmSync(folder, { recursive: true, force: true });
}
console.log(`${checked - failures} of ${checked} tasks agree (${failedCases} of ${cases} checks failed)`);
process.exit(failures > 0 ? 1 : 0);
