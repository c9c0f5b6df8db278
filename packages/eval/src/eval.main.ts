import { resolve } from 'node:path';
import { chooseSuite, readCommandLine, requireTaskIds, usageFailure } from './command-line.ts';
import { formatTable } from './eval-report.ts';
import { runEvaluation } from './eval-runner.ts';
import { type EvalProvider, evalProviders, isStandIn, scriptedModel } from './model-environment.ts';
import { writeComparison } from './report-compare.ts';
import { returnToSudoUser, runAsRoot } from './run-as-root.ts';
import { suites } from './suites/index.ts';

const usage = `usage: npm run eval -- --suite NAME --provider P [--model M] [--desktops N] [--report DIR]
                        [--max-steps N] [--max-minutes N] [--task ID ...]
       npm run eval -- --tasks DIR ...the same options

  --suite NAME      ${Object.keys(suites).join(', ')} (default starter)
  --tasks DIR       instead of a suite, the task files in OSWorld's format under DIR (*.json, with
                    scripted solutions in DIR/solutions/<id>.json); a task using a setup step, getter
                    or metric this runner lacks is reported skipped
  --provider P      ${evalProviders.join(', ')} (default scripted: plays each task's own solution,
                    and asks for help on a task that cannot be done; no-op: does nothing and claims
                    success; write-file: only writes the task's expected files with write_file, which
                    tasks withhold by default, and claims success). Real providers read their key from the
                    environment (ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY, OPENAI_COMPATIBLE_BASE_URL).
  --model M         the model to evaluate (required for real providers)
  --desktops N      desktops run side by side, each with its own agent (default 1)
  --report DIR      where report.json, report.html and each task's trajectory go (default eval-report)
  --max-steps N     model calls a task may make (default 30)
  --max-minutes N   minutes a task may run (default 10)
  --task ID         run only this task (repeatable)
  --list            print the suite's (or --tasks folder's) tasks (id, difficulty, applications,
                    description) and stop

       npm run eval -- --compare BEFORE/report.json AFTER/report.json [--report DIR]

  --compare A B     which tasks changed between two runs (pass→fail, fail→pass, new, missing) with their
                    steps, time and cost deltas; prints it and writes compare.json and compare.md into
                    --report DIR (default: the current directory). A or B may also be a run's folder.`;

// Typed here, not inferred, so TypeScript takes a call to it as the end of the code path.
const fail: (message: string) => never = usageFailure(usage);

function positiveNumber(flag: string, value: string, whole: boolean): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (whole && !Number.isInteger(number))) {
    fail(`--${flag}: expected a positive ${whole ? 'whole ' : ''}number, got "${value}"`);
  }
  return number;
}

/** `--compare A B`: paths are read from where npm was started (npm itself runs in the repository's root). */
function compare(files: string[], report: string | undefined): never {
  if (files.length !== 2) fail(`--compare: expected two reports (before and after), got ${files.length}`);
  const here = process.env.INIT_CWD ?? process.cwd();
  try {
    const { text, files: written } = writeComparison(
      resolve(here, files[0] as string),
      resolve(here, files[1] as string),
      resolve(here, report ?? '.'),
    );
    process.stdout.write(`${text}\nwritten: ${written.join(', ')}\n`);
  } catch (error) {
    process.stderr.write(`--compare: ${(error as Error).message}\n`);
    process.exit(2);
  }
  process.exit(0);
}

function readOptions() {
  const { values, positionals } = readCommandLine(
    {
      // No default here: --suite and --tasks exclude each other; without either, the starter suite.
      suite: { type: 'string' },
      tasks: { type: 'string' },
      provider: { type: 'string', default: 'scripted' },
      model: { type: 'string' },
      desktops: { type: 'string', default: '1' },
      // No default here: --compare writes to the current directory unless --report is given.
      report: { type: 'string' },
      'max-steps': { type: 'string', default: '30' },
      'max-minutes': { type: 'string', default: '10' },
      task: { type: 'string', multiple: true },
      list: { type: 'boolean', default: false },
      compare: { type: 'boolean', default: false },
    },
    usage,
    fail,
  );
  if (values.compare) compare(positionals, values.report as string | undefined);
  if (positionals.length > 0)
    fail(`unexpected argument "${positionals[0]}" (only --compare takes two files)`);
  const suite = chooseSuite(values.suite as string | undefined, values.tasks as string | undefined, fail);
  if (values.list) {
    const width = Math.max(...suite.tasks.map((task) => task.id.length));
    for (const task of suite.tasks) {
      process.stdout.write(
        `${task.id.padEnd(width)}  ${task.difficulty.padEnd(6)}  ${task.applications.join(', ')}` +
          `${task.unsupported ? `  (skipped: ${task.unsupported})` : ''}\n` +
          `${' '.repeat(width + 2)}${task.description.split('\n')[0]}\n`,
      );
    }
    process.exit(0);
  }
  const provider = String(values.provider) as EvalProvider;
  if (!evalProviders.includes(provider))
    fail(`--provider: expected one of ${evalProviders.join(', ')}, got "${provider}"`);
  const scripted = isStandIn(provider);
  const model = (values.model as string | undefined) ?? (scripted ? scriptedModel : undefined);
  if (!model) fail(`--model: required with --provider ${provider}`);
  const taskIds = (values.task as string[] | undefined) ?? [];
  requireTaskIds(suite, taskIds, fail);
  return {
    suite,
    provider,
    model,
    desktops: positiveNumber('desktops', String(values.desktops), true),
    reportDirectory: resolve(String(values.report ?? 'eval-report')),
    maxSteps: positiveNumber('max-steps', String(values['max-steps']), true),
    maxMinutes: positiveNumber('max-minutes', String(values['max-minutes']), false),
    taskIds,
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  runAsRoot();
  const count = options.taskIds.length || options.suite.tasks.length;
  process.stdout.write(
    `evaluating ${count} tasks of "${options.suite.name}" with ${options.provider} (${options.model}) on ` +
      `${options.desktops} desktop${options.desktops === 1 ? '' : 's'}\n`,
  );
  const report = await runEvaluation({
    ...options,
    progress: (line) => process.stdout.write(`${line}\n`),
    ...(process.env.BYTEBOT_LOG_LEVEL === 'debug'
      ? { log: (line: string) => process.stderr.write(`${line}\n`) }
      : {}),
  }).finally(() => returnToSudoUser(options.reportDirectory));
  process.stdout.write(`\n${formatTable(report)}\n\nreport: ${options.reportDirectory}/report.html\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
