import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { EvalSuite } from './eval-task.ts';
import { loadOsworldSuite } from './osworld/load-tasks.ts';
import { suites } from './suites/index.ts';

/**
 * The suite a command line names: `--suite NAME`, or `--tasks DIR` (task files in OSWorld's format), never
 * both; neither means the starter suite. A folder is read from where npm was started, since npm itself runs
 * in the repository's root. `fail` is the entry point's own way to refuse its arguments.
 */
export function chooseSuite(
  name: string | undefined,
  tasksFolder: string | undefined,
  fail: (message: string) => never,
): EvalSuite {
  if (name !== undefined && tasksFolder !== undefined) fail('--suite and --tasks: give one or the other');
  if (tasksFolder !== undefined) {
    try {
      return loadOsworldSuite(resolve(process.env.INIT_CWD ?? process.cwd(), tasksFolder));
    } catch (error) {
      fail((error as Error).message);
    }
  }
  const suite = suites[name ?? 'starter'];
  if (!suite) fail(`--suite: no suite "${name}" (known: ${Object.keys(suites).join(', ')})`);
  return suite;
}

/** How an entry point refuses its arguments: the message, then its usage, on stderr; exit code 2. */
export function usageFailure(usage: string): (message: string) => never {
  return (message) => {
    process.stderr.write(`${message}\n\n${usage}\n`);
    process.exit(2);
  };
}

/** Refuses (through `fail`) any of `ids` that is not a task of `suite`. */
export function requireTaskIds(suite: EvalSuite, ids: string[], fail: (message: string) => never): void {
  const unknown = ids.filter((id) => !suite.tasks.some((task) => task.id === id));
  if (unknown.length > 0)
    fail(
      `--task: no task ${unknown.map((id) => `"${id}"`).join(', ')} in suite "${suite.name}" (npm run eval -- --list shows them)`,
    );
}

export type CommandLineValues = Record<string, string | string[] | boolean | undefined>;

/**
 * The entry point's options, with `--help` added: prints `usage` and exits 0 on --help, and refuses an
 * unknown option or a malformed one through `fail`.
 */
export function readCommandLine(
  options: NonNullable<ParseArgsConfig['options']>,
  usage: string,
  fail: (message: string) => never,
): { values: CommandLineValues; positionals: string[] } {
  let parsed: { values: CommandLineValues; positionals: string[] };
  try {
    parsed = parseArgs({
      options: { ...options, help: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
  } catch (error) {
    fail((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
}
