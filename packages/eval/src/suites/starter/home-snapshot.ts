import type { CheckResult, TaskContext } from '../../eval-task.ts';
import { failed, passed } from './checks.ts';

/**
 * The home folder's visible entries, one line each: a folder as "d path", a file as its SHA-256 and path.
 * Hidden ones (~/.config, ~/.cache, the shell's history, a browser profile) are left out: opening an
 * application writes there, and a look around must not count as a change.
 */
const listing = `cd "$1" && find . -mindepth 1 -path './.*' -prune -o -type d -printf 'd %p\\n' | LC_ALL=C sort &&
find . -mindepth 1 -path './.*' -prune -o ! -type d -print0 | LC_ALL=C sort -z | xargs -0r sha256sum`;

interface Snapshot {
  entries: Map<string, string>;
  extra?: { read: (context: TaskContext) => Promise<string>; before: string };
}

/**
 * The state a setup recorded, by task home. Kept in memory, not in the home folder, where the model could
 * rewrite it.
 */
const snapshots = new Map<string, Snapshot>();

async function homeEntries(context: TaskContext): Promise<Map<string, string>> {
  const result = await context.run('sh', ['-c', listing, 'sh', context.home]);
  if (result.exitCode !== 0) throw new Error(`listing the home folder failed: ${result.stderr.trim()}`);
  const entries = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const match = /^(d|[0-9a-f]{64}) {1,2}\.\/(.*)$/.exec(line);
    if (match) entries.set(match[2] as string, match[1] as string);
  }
  return entries;
}

/**
 * Records the home folder (and, with `extra`, state kept elsewhere, such as settings) at the end of a setup,
 * for `unchanged`.
 */
export async function rememberHome(
  context: TaskContext,
  extra?: (context: TaskContext) => Promise<string>,
): Promise<void> {
  const entries = await homeEntries(context);
  snapshots.set(context.home, {
    entries,
    ...(extra ? { extra: { read: extra, before: await extra(context) } } : {}),
  });
}

/** Passes when nothing visible in the home folder (nor the extra state) changed since `rememberHome`. */
export async function unchanged(context: TaskContext): Promise<CheckResult> {
  const before = snapshots.get(context.home);
  if (!before) return failed('setup did not record the home folder');
  const after = await homeEntries(context);
  const changes: string[] = [];
  for (const [path, signature] of after) {
    const old = before.entries.get(path);
    if (old === undefined) changes.push(`~/${path} was added`);
    else if (old !== signature) changes.push(`~/${path} changed`);
  }
  for (const path of before.entries.keys()) if (!after.has(path)) changes.push(`~/${path} is gone`);
  if (before.extra && (await before.extra.read(context)) !== before.extra.before)
    changes.push('the settings changed');
  if (changes.length > 0) return failed(`something was changed: ${changes.slice(0, 5).join('; ')}`);
  return passed(`nothing changed (${after.size} entries of the home folder as they were)`);
}
