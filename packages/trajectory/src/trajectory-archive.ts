import { strFromU8, strToU8, type Unzipped, unzipSync, type Zippable, zipSync } from 'fflate';
import type { z } from 'zod';
import {
  imagePathPattern,
  type Trajectory,
  trajectoryManifestSchema,
  trajectoryMessageSchema,
  trajectoryStepSchema,
} from './trajectory-format.ts';

/** A trajectory archive that cannot be read; the message names the file and the field. */
export class TrajectoryFormatError extends Error {
  override name = 'TrajectoryFormatError';
}

/** Larger archives are refused before they are unpacked (a zip bomb would otherwise fill the memory). */
export const maxArchiveBytes = 512 * 1024 * 1024;
const maxFileBytes = 64 * 1024 * 1024;

const files = { manifest: 'task.json', steps: 'steps.jsonl', messages: 'messages.jsonl' } as const;

function jsonLines(values: unknown[]): Uint8Array {
  return strToU8(values.map((value) => `${JSON.stringify(value)}\n`).join(''));
}

/**
 * One zip: `task.json` (the task), `steps.jsonl` (a step a line: words, calls, desktop actions, timings,
 * tokens, screenshot paths), `messages.jsonl` (the stored conversation, for import) and `images/`.
 */
export function writeTrajectoryArchive(trajectory: Trajectory): Uint8Array {
  const entries: Zippable = {
    [files.manifest]: strToU8(`${JSON.stringify(trajectory.manifest, null, 2)}\n`),
    [files.steps]: jsonLines(trajectory.steps),
    [files.messages]: jsonLines(trajectory.messages),
  };
  // Screenshots are compressed already: stored as they are, the zip is written in a fraction of the time.
  for (const [path, bytes] of trajectory.images) entries[path] = [bytes, { level: 0 }];
  return zipSync(entries, { level: 6 });
}

function parseJson<T>(file: string, text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TrajectoryFormatError(`${file}: not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    throw new TrajectoryFormatError(`${file}: ${field}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function parseLines<T>(file: string, text: string, schema: z.ZodType<T>): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => parseJson(`${file} line ${index + 1}`, line, schema));
}

/** Reads and checks an archive written by writeTrajectoryArchive (or by hand, to the same layout). */
export function readTrajectoryArchive(bytes: Uint8Array): Trajectory {
  if (bytes.byteLength > maxArchiveBytes) {
    throw new TrajectoryFormatError(`the archive is larger than ${maxArchiveBytes / 1024 / 1024} MiB`);
  }
  let unzipped: Unzipped;
  try {
    unzipped = unzipSync(bytes, {
      filter: (file) => {
        if (file.originalSize > maxFileBytes) {
          throw new TrajectoryFormatError(
            `${file.name}: larger than ${maxFileBytes / 1024 / 1024} MiB unpacked`,
          );
        }
        return Object.values(files).includes(file.name as never) || imagePathPattern.test(file.name);
      },
    });
  } catch (error) {
    if (error instanceof TrajectoryFormatError) throw error;
    throw new TrajectoryFormatError(`not a zip archive: ${(error as Error).message}`);
  }
  const text = (file: string) => {
    const content = unzipped[file];
    if (!content) throw new TrajectoryFormatError(`${file}: missing from the archive`);
    return strFromU8(content);
  };
  const manifest = parseJson(files.manifest, text(files.manifest), trajectoryManifestSchema);
  const steps = parseLines(files.steps, text(files.steps), trajectoryStepSchema);
  const messages = parseLines(files.messages, text(files.messages), trajectoryMessageSchema);
  const images = new Map<string, Uint8Array>();
  for (const [path, content] of Object.entries(unzipped)) {
    if (imagePathPattern.test(path)) images.set(path, content);
  }
  return { manifest, steps, messages, images };
}
