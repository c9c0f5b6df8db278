import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computerActionSchema } from '@bytebot/protocol';
import { z } from 'zod';
import type { SolutionStep } from '../eval-task.ts';
import { OsworldTaskError, parseField } from './task-file-error.ts';

/**
 * A task's scripted solution, which OSWorld's format has no place for: solutions/<task id>.json in the
 * tasks folder, `{ "steps": [ <bytebotd action>, ... ] }`, the actions the scripted model plays one per
 * turn (paths and commands in them may say /home/user, as the task does).
 */
const solutionFileSchema = z.looseObject({
  steps: z.array(z.unknown()).min(1),
});

/** The steps of a task's solution file, each checked against bytebotd's action schema; undefined without one. */
export function readSolutionFile(
  tasksFolder: string,
  id: string,
  shownFolder: string,
): SolutionStep[] | undefined {
  const path = join(tasksFolder, 'solutions', `${id}.json`);
  if (!existsSync(path)) return undefined;
  const shown = join(shownFolder, 'solutions', `${id}.json`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new OsworldTaskError(shown, '', `not JSON: ${(error as Error).message}`);
  }
  const { steps } = parseField(solutionFileSchema, json, shown, '');
  for (const [index, step] of steps.entries())
    parseField(computerActionSchema, step, shown, `steps.${index}`);
  return steps as SolutionStep[];
}
