import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { TaskContext } from '../eval-task.ts';
import { fileSource, onThisDesktop } from './desktop-paths.ts';
import type { RawSetupStep } from './osworld-task.schema.ts';
import { OsworldTaskError, parseField } from './task-file-error.ts';

/** A step of `config` or `postconfig`, checked and ready to run on a task's desktop. */
export type SetupStep =
  | { type: 'execute'; command: string | string[]; shell: boolean; until?: Until }
  | { type: 'launch'; command: string | string[]; shell: boolean }
  | { type: 'open'; path: string }
  | { type: 'sleep'; seconds: number }
  /** OSWorld's download and upload_file: files of the tasks folder, copied into the home. */
  | { type: 'place_files'; files: Array<{ source: string; path: string }> }
  | { type: 'activate_window' | 'close_window'; windowName: string; strict: boolean; byClass: boolean };

/** OSWorld's condition for repeating an execute step: any one of these met ends it. */
interface Until {
  returncode?: number | undefined;
  stdout?: string | undefined;
  stderr?: string | undefined;
}

const commandSchema = z.union([z.string().min(1), z.array(z.string()).min(1)]);
const executeSchema = z.looseObject({
  command: commandSchema,
  shell: z.boolean().default(false),
  until: z
    .object({
      returncode: z.number().int().optional(),
      stdout: z.string().optional(),
      stderr: z.string().optional(),
    })
    .optional(),
});
const windowSchema = z.looseObject({
  window_name: z.string().min(1),
  strict: z.boolean().default(false),
  by_class: z.boolean().default(false),
});

const parameterSchemas = {
  execute: executeSchema,
  command: executeSchema,
  launch: z.looseObject({ command: commandSchema, shell: z.boolean().default(false) }),
  open: z.looseObject({ path: z.string().min(1) }),
  sleep: z.looseObject({ seconds: z.number().nonnegative().max(600) }),
  download: z.looseObject({
    files: z.array(z.looseObject({ url: z.string().min(1), path: z.string().min(1) })).min(1),
  }),
  upload_file: z.looseObject({
    files: z.array(z.looseObject({ local_path: z.string().min(1), path: z.string().min(1) })).min(1),
  }),
  activate_window: windowSchema,
  close_window: windowSchema,
};

/** The config step types this runner can play; any other makes its task skipped. */
export const supportedStepTypes = Object.keys(parameterSchemas);

/** Where a step was read from, for error messages and for files relative to the task. */
export interface StepOrigin {
  file: string;
  /** "config.2" or "evaluator.postconfig.0". */
  field: string;
  taskFolder: string;
  tasksFolder: string;
}

/**
 * Checks one raw step: a supported one comes back ready to run, an unsupported one as the reason its task
 * is skipped, and a malformed one throws an OsworldTaskError naming the file and field.
 */
export function parseSetupStep(raw: RawSetupStep, origin: StepOrigin): SetupStep | { unsupported: string } {
  const field = `${origin.field}.parameters`;
  const read = <Schema extends z.ZodType>(schema: Schema) =>
    parseField(schema, raw.parameters, origin.file, field);
  switch (raw.type) {
    case 'execute':
    case 'command': {
      const { command, shell, until } = read(executeSchema);
      return { type: 'execute', command, shell, ...(until ? { until } : {}) };
    }
    case 'launch': {
      const { command, shell } = read(parameterSchemas.launch);
      return { type: 'launch', command, shell };
    }
    case 'open':
      return { type: 'open', path: read(parameterSchemas.open).path };
    case 'sleep':
      return { type: 'sleep', seconds: read(parameterSchemas.sleep).seconds };
    case 'download':
    case 'upload_file': {
      const files =
        raw.type === 'download'
          ? read(parameterSchemas.download).files.map((file) => ({ url: file.url, path: file.path }))
          : read(parameterSchemas.upload_file).files.map((file) => ({
              url: file.local_path,
              path: file.path,
            }));
      const placed: Array<{ source: string; path: string }> = [];
      for (const [index, file] of files.entries()) {
        const urlField = `${field}.files.${index}.${raw.type === 'download' ? 'url' : 'local_path'}`;
        let source: ReturnType<typeof fileSource>;
        try {
          source = fileSource(file.url, origin.taskFolder, origin.tasksFolder);
        } catch (error) {
          throw new OsworldTaskError(origin.file, urlField, (error as Error).message);
        }
        if (source.kind === 'network')
          return {
            unsupported: `unsupported ${raw.type} from ${source.url} (only files of the tasks folder, never the network)`,
          };
        placed.push({ source: source.path, path: file.path });
      }
      return { type: 'place_files', files: placed };
    }
    case 'activate_window':
    case 'close_window': {
      const window = read(windowSchema);
      return {
        type: raw.type,
        windowName: window.window_name,
        strict: window.strict,
        byClass: window.by_class,
      };
    }
    default:
      return { unsupported: `unsupported config type "${raw.type}"` };
  }
}

/** A command as OSWorld gives it, as a program and its arguments: a string, or shell: true, goes through sh. */
export function commandLine(
  command: string | string[],
  shell: boolean,
  context: Pick<TaskContext, 'home' | 'screen'>,
): [string, string[]] {
  const mapped =
    typeof command === 'string'
      ? onThisDesktop(command, context)
      : command.map((part) => onThisDesktop(part, context));
  if (typeof mapped === 'string') return ['sh', ['-c', mapped]];
  if (shell) return ['sh', ['-c', mapped.join(' ')]];
  const [program, ...args] = mapped as [string, ...string[]];
  return [program, args];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** How long an execute step may repeat until its condition holds, and an open step wait for its window. */
const untilMs = 60_000;
const openWindowMs = 60_000;

/** Runs one step on the task's desktop, as the desktop user. */
export async function runSetupStep(step: SetupStep, context: TaskContext): Promise<void> {
  switch (step.type) {
    case 'execute': {
      const [program, args] = commandLine(step.command, step.shell, context);
      // As in OSWorld, a command's exit status does not stop the setup; only `until` waits on it.
      if (!step.until) {
        await context.run(program, args, { timeoutMs: 60_000 });
        return;
      }
      const until = step.until;
      const deadline = Date.now() + untilMs;
      for (;;) {
        const result = await context.run(program, args, { timeoutMs: 10_000 });
        const met =
          (until.returncode !== undefined && result.exitCode === until.returncode) ||
          (until.stdout !== undefined && result.stdout.includes(until.stdout)) ||
          (until.stderr !== undefined && result.stderr.includes(until.stderr));
        if (met) return;
        if (Date.now() > deadline)
          throw new Error(`${program} ${args.join(' ')} did not meet its "until" within ${untilMs / 1000} s`);
        await sleep(300);
      }
    }
    case 'launch': {
      if (step.shell || typeof step.command !== 'string') {
        const [program, args] = commandLine(step.command, step.shell, context);
        context.launch(program, args);
      } else {
        // OSWorld splits a launch command given as one string at its spaces.
        const [program, ...args] = onThisDesktop(step.command, context).split(/\s+/).filter(Boolean);
        context.launch(program as string, args);
      }
      return;
    }
    case 'open': {
      const path = onThisDesktop(step.path, context);
      context.launch('xdg-open', [path]);
      // OSWorld's open returns once a window for the file is up: its name is in the window's title.
      await context.waitForWindow(new RegExp(escapeRegExp(basename(path))), openWindowMs);
      return;
    }
    case 'sleep':
      await sleep(step.seconds * 1000);
      return;
    case 'place_files':
      for (const file of step.files)
        await context.writeFile(onThisDesktop(file.path, context), await readFile(file.source));
      return;
    case 'activate_window':
    case 'close_window': {
      const flags = [...(step.byClass ? ['-x'] : []), ...(step.strict ? ['-F'] : [])];
      // As in OSWorld, a window that is not there is not an error of the setup.
      await context.run('wmctrl', [...flags, step.type === 'activate_window' ? '-a' : '-c', step.windowName]);
      return;
    }
  }
}
