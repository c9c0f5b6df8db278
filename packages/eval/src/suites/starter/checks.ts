import type { CheckResult, PageRecord, TaskContext } from '../../eval-task.ts';

export const passed = (detail: string): CheckResult => ({ passed: true, detail });
export const failed = (detail: string): CheckResult => ({ passed: false, detail });

/** A file's text for a report line: quoted, and cut short so one bad file does not flood the report. */
export const shown = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);

/**
 * A text file's lines as a person reads them: trailing spaces and the final newline (or its absence) do
 * not count, so an editor that adds or drops the last newline does not fail a task.
 */
export function lines(text: string): string[] {
  const all = text.split('\n').map((line) => line.replace(/\s+$/, ''));
  while (all.length > 0 && all.at(-1) === '') all.pop();
  return all;
}

/** Passes when the file holds exactly these lines (see `lines`). */
export async function checkFileLines(
  context: TaskContext,
  path: string,
  expected: string[],
): Promise<CheckResult> {
  const content = await context.readFile(path);
  if (content === undefined) return failed(`~/${path} does not exist`);
  const actual = lines(content);
  return actual.length === expected.length && actual.every((line, index) => line === expected[index])
    ? passed(`~/${path} holds the expected ${expected.length} lines`)
    : failed(`~/${path} holds ${shown(content)}`);
}

/** Whether a path of the home folder is a folder (context.exists does not tell files from folders). */
export async function isFolder(context: TaskContext, path: string): Promise<boolean> {
  const result = await context.run('test', ['-d', `${context.home}/${path}`]);
  return result.exitCode === 0;
}

/** A property's value in an xfconf channel, or undefined when it is not set. */
export async function xfconfValue(
  context: TaskContext,
  channel: string,
  property: string,
): Promise<string | undefined> {
  const result = await context.run('xfconf-query', ['-c', channel, '-p', property]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** The last record a page of the suite sent, of those that pass the filter. */
export function lastRecord(
  context: TaskContext,
  page: string,
  filter: (record: PageRecord) => boolean = () => true,
): PageRecord | undefined {
  return context
    .pageRecords()
    .filter((record) => record.page === page && filter(record))
    .at(-1);
}

/** A field of a page's record as text ('' when missing), trimmed: what a person typed, not the spaces around it. */
export const field = (record: PageRecord, name: string): string => {
  const value = record.data[name];
  return typeof value === 'string' ? value.trim() : value === undefined ? '' : JSON.stringify(value);
};
