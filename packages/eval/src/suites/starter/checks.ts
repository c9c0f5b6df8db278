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

/** Every record a page of the suite sent, of those that pass the filter, oldest first. */
export function records(
  context: TaskContext,
  page: string,
  filter: (record: PageRecord) => boolean = () => true,
): PageRecord[] {
  return context.pageRecords().filter((record) => record.page === page && filter(record));
}

/**
 * The one submission of a form that sends something (an account, a refund, a message): a second one is a
 * duplicate, and a wrong first one was sent all the same, so both fail. Answers the record or why not.
 */
export function onlySubmission(context: TaskContext, page: string, what: string): PageRecord | CheckResult {
  const sent = records(context, page, (record) => record.data.submitted === true);
  if (sent.length === 0) return failed(`the ${what} was never sent`);
  if (sent.length > 1)
    return failed(
      `the ${what} was sent ${sent.length} times (it must be sent exactly once): ${sent.map((record) => JSON.stringify(record.data)).join(' then ')}`,
    );
  return sent[0] as PageRecord;
}

/**
 * Posts a record to the suite's server as a page of this task would (for near misses): it loads the page
 * first, for the cookie the server gives a served page and requires on its posts.
 */
export async function postRecord(
  context: TaskContext,
  pagePath: string,
  page: string,
  data: Record<string, unknown>,
): Promise<void> {
  const served = await fetch(context.pageUrl(pagePath));
  await served.text();
  const cookie = (served.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const response = await fetch(context.pageUrl('/record'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ page, data }),
  });
  await response.text();
  if (!response.ok) throw new Error(`the suite's server refused the record: ${response.status}`);
}

/** A file's inode number, or undefined when it does not exist. */
export async function inode(context: TaskContext, path: string): Promise<string | undefined> {
  const result = await context.run('stat', ['-c', '%i', `${context.home}/${path}`]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/**
 * Inodes a setup recorded, by task home and path. A rename keeps a file's inode, a copy or a rewrite does
 * not; and an editor that saves writes a new file over the old (Mousepad does), while a file tool writes
 * into the same one. Kept in memory, not in the home folder, where the model could rewrite them.
 */
const setupInodes = new Map<string, string>();

/** Records the inodes of files the setup made, for `sameInode` and `savedByEditor`. */
export async function rememberInodes(context: TaskContext, paths: string[]): Promise<void> {
  for (const path of paths) {
    const number = await inode(context, path);
    if (number === undefined) throw new Error(`setup: ~/${path} does not exist`);
    setupInodes.set(`${context.home}\n${path}`, number);
  }
}

const rememberedInode = (context: TaskContext, path: string) => setupInodes.get(`${context.home}\n${path}`);

/** Passes when `path` is the file setup made as `original`, moved or renamed (not a copy, not rewritten). */
export async function sameInode(context: TaskContext, original: string, path: string): Promise<CheckResult> {
  const before = rememberedInode(context, original);
  if (before === undefined) return failed(`setup did not record ~/${original}'s inode`);
  return (await inode(context, path)) === before
    ? passed(`~/${path} is ~/${original}, moved`)
    : failed(`~/${path} is a new file, not ~/${original} moved or renamed (its inode differs)`);
}

/**
 * Passes when the text editor saved the file setup made: Mousepad saves by writing a new file over the old
 * one (a new inode), while a file written in place by a tool keeps it.
 */
export async function savedByEditor(context: TaskContext, path: string): Promise<CheckResult> {
  const before = rememberedInode(context, path);
  if (before === undefined) return failed(`setup did not record ~/${path}'s inode`);
  return (await inode(context, path)) !== before
    ? passed(`the editor saved ~/${path}`)
    : failed(`~/${path} was written in place, not saved by the text editor`);
}

/** Saves a file as Mousepad does (a new file moved over the old one), for near misses. */
export async function saveAsEditorWould(context: TaskContext, path: string, text: string): Promise<void> {
  await context.writeFile(`${path}.saving`, text);
  await context.run('mv', [`${context.home}/${path}.saving`, `${context.home}/${path}`]);
}

const recentFiles = '.local/share/recently-used.xbel';

/** Whether Mousepad's entry in the recent files list names this file (it adds the files it opens or saves as). */
export async function inMousepadRecent(context: TaskContext, path: string): Promise<boolean> {
  const list = (await context.readFile(recentFiles)) ?? '';
  const href = `file://${encodeURI(`${context.home}/${path}`)}`;
  return list
    .split('<bookmark ')
    .some((entry) => entry.includes(`href="${href}"`) && entry.includes('<bookmark:group>Mousepad<'));
}

/** Adds a file to the recent files list as Mousepad's "Save as" does, for near misses. */
export async function addToMousepadRecent(context: TaskContext, path: string): Promise<void> {
  const now = new Date().toISOString();
  const entry = `<bookmark href="file://${encodeURI(`${context.home}/${path}`)}" added="${now}" modified="${now}" visited="${now}"><info><metadata owner="http://freedesktop.org"><bookmark:groups><bookmark:group>Mousepad</bookmark:group></bookmark:groups></metadata></info></bookmark>`;
  const list =
    (await context.readFile(recentFiles)) ??
    '<?xml version="1.0" encoding="UTF-8"?>\n<xbel version="1.0" xmlns:bookmark="http://www.freedesktop.org/standards/desktop-bookmarks">\n</xbel>\n';
  await context.writeFile(recentFiles, list.replace('</xbel>', `${entry}\n</xbel>`));
}

/**
 * The shell's settings for the terminal tasks: history written as each command runs (bash otherwise
 * writes it at exit), so a checker can tell a file made in the terminal from one written by a tool.
 * `watch` files also have their inode logged after each command, to tell a renamed file from a new one.
 */
export async function recordTerminal(context: TaskContext, watch: string[] = []): Promise<void> {
  const inodes = watch.map((path) => `stat -c %i ~/${path} >> ~/.bash_inodes 2>/dev/null`);
  await context.writeFile(
    '.bashrc',
    `HISTFILE=~/.bash_history\nHISTCONTROL=\nPROMPT_COMMAND='${['history -a', ...inodes].join('; ')}'\n`,
  );
}

/** The commands run in the desktop's terminal so far (see `recordTerminal`). */
export async function terminalCommands(context: TaskContext): Promise<string[]> {
  const history = (await context.readFile('.bash_history')) ?? '';
  return history.split('\n').filter((line) => line.trim() !== '' && !/^#\d+$/.test(line));
}

/** Passes when a command run in the terminal names one of these words (a file it made, a folder it read). */
export async function terminalNamed(context: TaskContext, words: string[]): Promise<CheckResult> {
  const commands = await terminalCommands(context);
  const named = commands.find((command) => words.some((word) => command.includes(word)));
  if (named) return passed(`the terminal ran ${JSON.stringify(named)}`);
  return failed(
    commands.length === 0
      ? 'nothing was run in the terminal'
      : `no command run in the terminal names ${words.join(' or ')} (ran: ${shown(commands.join('; '))})`,
  );
}

/** The inodes logged after each terminal command (see `recordTerminal`). */
export async function terminalInodes(context: TaskContext): Promise<string[]> {
  return ((await context.readFile('.bash_inodes')) ?? '').split('\n').filter((line) => line !== '');
}

/**
 * Runs commands as if typed in the desktop's terminal (an interactive bash, so it reads ~/.bashrc and
 * records them), without playing keys: for near misses.
 */
export async function inTerminal(context: TaskContext, commands: string): Promise<void> {
  await context.run('bash', ['-i'], { input: `cd ~\n${commands}\nexit\n` });
}

/** Puts text on the clipboard as an application's copy would, and waits until it is there (near misses). */
export async function copyToClipboard(context: TaskContext, text: string): Promise<void> {
  // xclip stays to serve the selection, so it is launched, not run (run would wait for it).
  context.launch('sh', ['-c', `printf %s "$0" | xclip -selection clipboard`, text]);
  for (let tries = 0; tries < 50 && (await context.clipboard()) !== text; tries += 1)
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
}

/** Combines route and end-state checks: the first failure, or all the details. */
export function all(...results: CheckResult[]): CheckResult {
  const failure = results.find((result) => !result.passed);
  return failure ?? passed(results.map((result) => result.detail).join('; '));
}
