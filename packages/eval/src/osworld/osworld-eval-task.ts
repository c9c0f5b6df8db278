import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { EvalApplication, EvalTask } from '../eval-task.ts';
import { jsonOnThisDesktop } from './desktop-paths.ts';
import { type Evaluation, evaluate, parseEvaluator } from './evaluator.ts';
import { osworldTaskSchema } from './osworld-task.schema.ts';
import { parseSetupStep, runSetupStep, type SetupStep } from './setup-steps.ts';
import { readSolutionFile } from './solution-file.ts';
import { OsworldTaskError, parseField } from './task-file-error.ts';

/** OSWorld's related_apps (and a few names of this desktop's own) as the report's applications. */
const applicationNames: Record<string, EvalApplication> = {
  terminal: 'terminal',
  'gnome-terminal': 'terminal',
  'xfce4-terminal': 'terminal',
  mousepad: 'text_editor',
  gedit: 'text_editor',
  text_editor: 'text_editor',
  thunar: 'file_manager',
  nautilus: 'file_manager',
  file_manager: 'file_manager',
  firefox: 'firefox',
  settings: 'settings',
  xfconf: 'settings',
  os: 'settings',
  clipboard: 'clipboard',
};

/**
 * Reads one task file in OSWorld's format as an EvalTask: its config becomes the setup, its evaluator the
 * checker, and solutions/<id>.json beside the tasks the scripted solution. A task with a piece this
 * runner lacks still loads, with `unsupported` saying which, so the run reports it skipped.
 */
export function readOsworldTask(file: string, tasksFolder: string): EvalTask {
  const shownFolder = relative(process.cwd(), tasksFolder) || '.';
  const shown = relative(process.cwd(), file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OsworldTaskError(shown, '', `not JSON: ${(error as Error).message}`);
  }
  const raw = parseField(osworldTaskSchema, json, shown, '');
  const origin = { file: shown, taskFolder: dirname(file), tasksFolder };

  let unsupported: string | undefined;
  const setupSteps: SetupStep[] = [];
  for (const [index, step] of raw.config.entries()) {
    const parsed = parseSetupStep(step, { ...origin, field: `config.${index}` });
    if ('unsupported' in parsed) unsupported ??= parsed.unsupported;
    else setupSteps.push(parsed);
  }
  // OSWorld's "infeasible" reads nothing: the agent must say the task cannot be done.
  const infeasible = raw.evaluator.func === 'infeasible';
  let evaluation: Evaluation | undefined;
  if (!infeasible) {
    const parsed = parseEvaluator(raw.evaluator, origin);
    if ('unsupported' in parsed) unsupported ??= parsed.unsupported;
    else evaluation = parsed;
  }
  const solution = readSolutionFile(tasksFolder, raw.id, shownFolder);
  const applications = [
    ...new Set((raw.related_apps ?? []).flatMap((name) => applicationNames[name.toLowerCase()] ?? [])),
  ];

  return {
    id: raw.id,
    description: raw.instruction,
    difficulty: raw.difficulty ?? 'medium',
    applications,
    ...(infeasible ? { feasible: false } : {}),
    ...(unsupported ? { unsupported } : {}),
    async setup(context) {
      for (const [index, step] of setupSteps.entries()) {
        try {
          await runSetupStep(step, context);
        } catch (error) {
          throw new Error(`config step ${index + 1} (${step.type}): ${(error as Error).message}`);
        }
      }
    },
    async check(context) {
      if (!evaluation) return { passed: true, detail: 'an infeasible task: there is nothing to read' };
      return evaluate(evaluation, context);
    },
    solution(context) {
      // On a task that cannot be done, refusing is the whole solution.
      if (!solution && infeasible) return [];
      if (!solution)
        throw new Error(`no scripted solution: ${shownFolder}/solutions/${raw.id}.json does not exist`);
      return jsonOnThisDesktop(solution, context);
    },
  };
}
