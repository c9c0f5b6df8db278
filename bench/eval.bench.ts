import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EvalReport, type EvalSuite, runEvaluation, suites } from '@bytebot/eval';
import { readTrajectoryArchive } from '@bytebot/trajectory';

/**
 * The evaluation runner: the starter suite's wall time with one desktop and with two, played by the
 * scripted model, and the runner's own time around each task (a fresh desktop, setup, checker).
 */
const suite = suites.starter as EvalSuite;
const folder = mkdtempSync(join(tmpdir(), 'bytebot-eval-bench-'));

const median = (values: number[]) => {
  const sorted = [...values].sort((first, second) => first - second);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

async function run(desktops: number): Promise<EvalReport> {
  return runEvaluation({
    suite,
    provider: 'scripted',
    model: 'claude-sonnet-5-5',
    desktops,
    reportDirectory: join(folder, `desktops-${desktops}`),
    maxSteps: 40,
    maxMinutes: 3,
  });
}

try {
  const one = await run(1);
  const two = await run(2);
  const overhead = (key: 'reset' | 'setup' | 'check') => one.tasks.map((entry) => entry.overheadMs[key]);
  const perTask = one.tasks.map(
    (entry) => entry.overheadMs.reset + entry.overheadMs.setup + entry.overheadMs.check,
  );
  console.log(`evaluation runner, starter suite (${suite.tasks.length} tasks), scripted model`);
  console.log(
    `  suite wall time, 1 desktop:  ${one.seconds.toFixed(1)} s (${one.passed}/${one.total} passed)`,
  );
  console.log(
    `  suite wall time, 2 desktops: ${two.seconds.toFixed(1)} s (${two.passed}/${two.total} passed)`,
  );
  console.log(`  speed-up with 2 desktops: ${(one.seconds / two.seconds).toFixed(2)}x`);
  console.log(
    `  runner overhead per task (1 desktop), median: reset ${median(overhead('reset'))} ms, setup ${median(
      overhead('setup'),
    )} ms, checker ${median(overhead('check'))} ms; mean total ${mean(perTask).toFixed(0)} ms`,
  );
  console.log(
    `  task time in the agent (model + desktop), median: ${median(one.tasks.map((entry) => entry.seconds)).toFixed(2)} s`,
  );
  const first = one.tasks[0];
  if (first?.trajectory) {
    const bytes = readFileSync(join(folder, 'desktops-1', first.trajectory));
    const archive = readTrajectoryArchive(bytes);
    console.log(
      `  trajectory of ${first.id}: ${archive.steps.length} steps, ${archive.images.size} screenshots, ` +
        `${(bytes.byteLength / 1024).toFixed(0)} KiB`,
    );
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
process.exit(0);
