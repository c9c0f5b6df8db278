import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { EvalSuite } from '../eval-task.ts';
import { readOsworldTask } from './osworld-eval-task.ts';

/**
 * Folders of a tasks folder that hold no tasks: the scripted solutions, and the files tasks place on the
 * desktop or compare with (which may well be JSON themselves).
 */
const notTaskFolders = new Set(['solutions', 'files']);

/** Every task file under a folder, in a stable order: *.json, in it and in its subfolders (OSWorld's <app>/). */
function taskFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .sort((first, second) => first.name.localeCompare(second.name))
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return notTaskFolders.has(entry.name) ? [] : taskFiles(path);
      return entry.isFile() && entry.name.endsWith('.json') ? [path] : [];
    });
}

/**
 * A folder of tasks in OSWorld's format, as a suite the evaluation runner runs like its own: `--tasks DIR`.
 * Throws, naming the file and field, on a task that cannot be read; tasks using what this runner lacks
 * load with `unsupported` set and are reported skipped.
 */
export function loadOsworldSuite(directory: string): EvalSuite {
  const folder = resolve(directory);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new Error(`--tasks: ${directory} is not a folder`);
  const files = taskFiles(folder);
  if (files.length === 0)
    throw new Error(
      `--tasks: ${directory} holds no task (*.json files in OSWorld's format, outside solutions/ and files/)`,
    );
  const tasks = files.map((file) => readOsworldTask(file, folder));
  const seen = new Map<string, string>();
  for (const [index, task] of tasks.entries()) {
    const earlier = seen.get(task.id);
    if (earlier)
      throw new Error(`--tasks: the id "${task.id}" is used by both ${earlier} and ${files[index]}`);
    seen.set(task.id, files[index] as string);
  }
  return {
    name: `osworld:${basename(folder)}`,
    description: `Tasks in OSWorld's format from ${directory}`,
    tasks,
    pages: {},
  };
}
