import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DesktopSlot } from './desktop-slot.ts';
import { playSolution } from './play-solution.ts';
import { startSuiteWebServer } from './suite-web-server.ts';
import { suites } from './suites/index.ts';

/**
 * `npm run eval:check -- [--suite NAME] [TASK_ID...]`: for each task, on a fresh desktop, the checker must
 * fail right after setup and pass once the scripted solution is played straight on bytebotd (no agent).
 * For suite authors: the quick way to see a new task's setup, checker and solution agree.
 */
const args = process.argv.slice(2);
const suiteIndex = args.indexOf('--suite');
const suiteName = suiteIndex >= 0 ? (args[suiteIndex + 1] ?? 'starter') : 'starter';
const wanted = args.filter(
  (arg, index) => !arg.startsWith('--') && (suiteIndex < 0 || index !== suiteIndex + 1),
);
const suite = suites[suiteName];
if (!suite) throw new Error(`no suite "${suiteName}" (known: ${Object.keys(suites).join(', ')})`);
const tasks = wanted.length > 0 ? suite.tasks.filter((task) => wanted.includes(task.id)) : suite.tasks;

const folder = mkdtempSync(join(tmpdir(), 'bytebot-eval-check-'));
const web = await startSuiteWebServer(suite.pages);
const slot = new DesktopSlot({
  screen: { width: 1280, height: 960 },
  folder,
  token: randomBytes(16).toString('hex'),
  log: () => undefined,
});
let failures = 0;
try {
  await slot.open();
  for (const task of tasks) {
    const started = Date.now();
    const prepared = await slot.prepare();
    const run = web.openRun();
    const context = prepared.context(run);
    try {
      await task.setup(context);
      const before = await task.check(context);
      await playSolution(prepared.client, task.solution(context));
      const after = await task.check(context);
      const ok = !before.passed && after.passed;
      if (!ok) failures += 1;
      console.log(
        `${ok ? 'ok  ' : 'FAIL'} ${task.id} (${((Date.now() - started) / 1000).toFixed(1)} s)` +
          `\n     before: ${before.passed ? 'PASSED' : 'failed'}, ${before.detail}` +
          `\n     after:  ${after.passed ? 'passed' : 'FAILED'}, ${after.detail}`,
      );
    } catch (error) {
      failures += 1;
      console.log(`FAIL ${task.id}: ${(error as Error).stack}`);
    } finally {
      run.close();
    }
  }
} finally {
  await slot.close();
  await web.close();
  rmSync(folder, { recursive: true, force: true });
}
console.log(`${tasks.length - failures} of ${tasks.length} tasks agree`);
process.exit(failures > 0 ? 1 : 0);
