import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTaskCheck, taskChecker } from './check-task.ts';
import { DesktopSlot } from './desktop-slot.ts';
import { runAsRoot } from './run-as-root.ts';
import { startSuiteWebServer } from './suite-web-server.ts';
import { suites } from './suites/index.ts';

/**
 * `npm run eval:check -- [--suite NAME] [--reset] [TASK_ID...]`: for each task, on a fresh desktop, the
 * checker must fail right after setup and pass once the scripted solution is played straight on bytebotd
 * (no agent); then it must fail after each of the task's near misses and its shortcut, each applied after
 * setup on a fresh desktop (`--reset`: on one desktop put back between them, much faster). For suite
 * authors: the quick way to see a new task's setup, checker, solution and near misses agree.
 */
const args = process.argv.slice(2);
const suiteIndex = args.indexOf('--suite');
const suiteName = suiteIndex >= 0 ? (args[suiteIndex + 1] ?? 'starter') : 'starter';
const wanted = args.filter(
  (arg, index) => !arg.startsWith('--') && (suiteIndex < 0 || index !== suiteIndex + 1),
);
const suite = suites[suiteName];
if (!suite) throw new Error(`no suite "${suiteName}" (known: ${Object.keys(suites).join(', ')})`);
const unknown = wanted.filter((id) => !suite.tasks.some((task) => task.id === id));
if (unknown.length > 0) throw new Error(`no task ${unknown.join(', ')} in the suite "${suiteName}"`);
const tasks = wanted.length > 0 ? suite.tasks.filter((task) => wanted.includes(task.id)) : suite.tasks;
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
let cases = 0;
let failedCases = 0;
try {
  await slot.open();
  const checker = taskChecker(slot, web, args.includes('--reset') ? 'reset' : 'fresh');
  try {
    for (const task of tasks) {
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
console.log(
  `${tasks.length - failures} of ${tasks.length} tasks agree (${failedCases} of ${cases} checks failed)`,
);
process.exit(failures > 0 ? 1 : 0);
