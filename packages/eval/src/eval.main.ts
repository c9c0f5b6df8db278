import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from './eval-report.ts';
import { runEvaluation } from './eval-runner.ts';
import { type EvalProvider, evalProviders, scriptedModel } from './model-environment.ts';
import { suites } from './suites/index.ts';

const usage = `usage: npm run eval -- --suite NAME --provider P [--model M] [--desktops N] [--report DIR]
                        [--max-steps N] [--max-minutes N] [--task ID ...]

  --suite NAME      ${Object.keys(suites).join(', ')} (default starter)
  --provider P      ${evalProviders.join(', ')} (default scripted: plays each task's own solution;
                    no-op: does nothing and claims success). Real providers read their key from the
                    environment (ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY, OPENAI_COMPATIBLE_BASE_URL).
  --model M         the model to evaluate (required for real providers)
  --desktops N      desktops run side by side, each with its own agent (default 1)
  --report DIR      where report.json, report.html and each task's trajectory go (default eval-report)
  --max-steps N     model calls a task may make (default 30)
  --max-minutes N   minutes a task may run (default 10)
  --task ID         run only this task (repeatable)
  --list            print the suite's tasks (id, difficulty, applications, description) and stop`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

function positiveNumber(flag: string, value: string, whole: boolean): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (whole && !Number.isInteger(number))) {
    fail(`--${flag}: expected a positive ${whole ? 'whole ' : ''}number, got "${value}"`);
  }
  return number;
}

function readOptions() {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        suite: { type: 'string', default: 'starter' },
        provider: { type: 'string', default: 'scripted' },
        model: { type: 'string' },
        desktops: { type: 'string', default: '1' },
        report: { type: 'string', default: 'eval-report' },
        'max-steps': { type: 'string', default: '30' },
        'max-minutes': { type: 'string', default: '10' },
        task: { type: 'string', multiple: true },
        help: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const suite = suites[String(values.suite)];
  if (!suite) fail(`--suite: no suite "${values.suite}" (known: ${Object.keys(suites).join(', ')})`);
  if (values.list) {
    const width = Math.max(...suite.tasks.map((task) => task.id.length));
    for (const task of suite.tasks) {
      process.stdout.write(
        `${task.id.padEnd(width)}  ${task.difficulty.padEnd(6)}  ${task.applications.join(', ')}\n` +
          `${' '.repeat(width + 2)}${task.description.split('\n')[0]}\n`,
      );
    }
    process.exit(0);
  }
  const provider = String(values.provider) as EvalProvider;
  if (!evalProviders.includes(provider))
    fail(`--provider: expected one of ${evalProviders.join(', ')}, got "${provider}"`);
  const scripted = provider === 'scripted' || provider === 'no-op';
  const model = (values.model as string | undefined) ?? (scripted ? scriptedModel : undefined);
  if (!model) fail(`--model: required with --provider ${provider}`);
  const taskIds = (values.task as string[] | undefined) ?? [];
  const unknown = taskIds.filter((id) => !suite.tasks.some((task) => task.id === id));
  if (unknown.length > 0)
    fail(
      `--task: no task ${unknown.map((id) => `"${id}"`).join(', ')} in suite "${suite.name}" (npm run eval -- --list shows them)`,
    );
  return {
    suite,
    provider,
    model,
    desktops: positiveNumber('desktops', String(values.desktops), true),
    reportDirectory: resolve(String(values.report)),
    maxSteps: positiveNumber('max-steps', String(values['max-steps']), true),
    maxMinutes: positiveNumber('max-minutes', String(values['max-minutes']), false),
    taskIds,
  };
}

async function main(): Promise<void> {
  const options = readOptions();
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
  });
  process.stdout.write(`\n${formatTable(report)}\n\nreport: ${options.reportDirectory}/report.html\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
