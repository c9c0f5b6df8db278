import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import type { TaskContext } from '../eval-task.ts';
import { fileSource, onThisDesktop } from './desktop-paths.ts';
import type { RawGetterSpec } from './osworld-task.schema.ts';
import { commandLine, type StepOrigin } from './setup-steps.ts';
import { OsworldTaskError, parseField } from './task-file-error.ts';

/** A getter of `evaluator.result` or `evaluator.expected`, checked and ready to read the desktop. */
export type Getter =
  | { type: 'vm_file'; path: string }
  | { type: 'vm_command_line' | 'vm_command_error'; command: string | string[]; shell: boolean }
  | { type: 'rule'; rules: Record<string, unknown> }
  /** A gold file shipped in the tasks folder (OSWorld downloads it from the network). */
  | { type: 'cloud_file'; source: string; shown: string };

/**
 * What a getter found, for a metric. OSWorld's getters hand metrics a path to a local copy of a file; here
 * they hand its text, with undefined for a file that does not exist.
 */
export type Observed =
  | { kind: 'file'; path: string; text: string | undefined }
  | { kind: 'output'; command: string; text: string }
  | { kind: 'rules'; rules: Record<string, unknown> };

const commandSchema = z.looseObject({
  command: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  shell: z.boolean().default(false),
});
const fileSchema = z.looseObject({
  path: z.string().min(1),
  multi: z.boolean().optional(),
});

/** The getter types this runner can read; any other makes its task skipped. */
export const supportedGetterTypes = ['vm_file', 'vm_command_line', 'vm_command_error', 'rule', 'cloud_file'];

/** Checks one raw getter: ready to read, the reason its task is skipped, or an OsworldTaskError. */
export function parseGetter(raw: RawGetterSpec, origin: StepOrigin): Getter | { unsupported: string } {
  switch (raw.type) {
    case 'vm_file':
    case 'cloud_file': {
      const spec = parseField(fileSchema, raw, origin.file, origin.field);
      if (spec.multi) return { unsupported: `unsupported getter "${raw.type}" with multi` };
      if (raw.type === 'vm_file') return { type: 'vm_file', path: spec.path };
      let source: ReturnType<typeof fileSource>;
      try {
        source = fileSource(spec.path, origin.taskFolder, origin.tasksFolder);
      } catch (error) {
        throw new OsworldTaskError(origin.file, `${origin.field}.path`, (error as Error).message);
      }
      if (source.kind === 'network')
        return {
          unsupported: `unsupported cloud_file from ${source.url} (only files of the tasks folder, never the network)`,
        };
      return { type: 'cloud_file', source: source.path, shown: spec.path };
    }
    case 'vm_command_line':
    case 'vm_command_error': {
      const spec = parseField(commandSchema, raw, origin.file, origin.field);
      return { type: raw.type, command: spec.command, shell: spec.shell };
    }
    case 'rule': {
      const spec = parseField(
        z.looseObject({ rules: z.record(z.string(), z.unknown()) }),
        raw,
        origin.file,
        origin.field,
      );
      return { type: 'rule', rules: spec.rules };
    }
    default:
      return { unsupported: `unsupported getter "${raw.type}"` };
  }
}

const insideHome = (home: string, path: string) => {
  const inside = relative(home, path);
  return !inside.startsWith('..') && !isAbsolute(inside);
};

/** Reads what a getter points at on the task's desktop (or in the tasks folder, for a gold file). */
export async function observe(getter: Getter, context: TaskContext): Promise<Observed> {
  switch (getter.type) {
    case 'vm_file': {
      // Reports name the file as the task does (/home/user/...), not by the task's temporary home.
      const path = onThisDesktop(getter.path, context);
      if (insideHome(context.home, path))
        return { kind: 'file', path: getter.path, text: await context.readFile(path) };
      // Beyond the home, the desktop user's own rights decide what may be read.
      const read = await context.run('cat', ['--', path]);
      return { kind: 'file', path: getter.path, text: read.exitCode === 0 ? read.stdout : undefined };
    }
    case 'vm_command_line':
    case 'vm_command_error': {
      const [program, args] = commandLine(getter.command, getter.shell, context);
      const result = await context.run(program, args, { timeoutMs: 30_000 });
      const command = typeof getter.command === 'string' ? getter.command : getter.command.join(' ');
      return {
        kind: 'output',
        command,
        text: getter.type === 'vm_command_line' ? result.stdout : result.stderr,
      };
    }
    case 'rule':
      return { kind: 'rules', rules: getter.rules };
    case 'cloud_file':
      return { kind: 'file', path: getter.shown, text: await readFile(getter.source, 'utf8') };
  }
}
