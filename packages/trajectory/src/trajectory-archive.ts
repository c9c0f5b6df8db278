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
/** All the files of an archive together, unpacked: a long task of a few hundred distinct screenshots fits. */
const maxUnpackedBytes = 512 * 1024 * 1024;

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

/** The files of an archive that are read: the three of the layout and the images. */
function wanted(name: string): boolean {
  return Object.values(files).includes(name as never) || imagePathPattern.test(name);
}

function unzip(
  bytes: Uint8Array,
  filter: (file: { name: string; originalSize: number }) => boolean,
): Unzipped {
  try {
    return unzipSync(bytes, { filter });
  } catch (error) {
    if (error instanceof TrajectoryFormatError) throw error;
    throw new TrajectoryFormatError(`not a zip archive: ${(error as Error).message}`);
  }
}

/**
 * Reads and checks an archive written by writeTrajectoryArchive (or by hand, to the same layout). The
 * sizes the archive declares are checked before anything is unpacked (each file, and all of them
 * together: a few MiB of zeros can unpack to gigabytes), then task.json is read and checked before the
 * rest. A file unpacks into a buffer of its declared size, so a size that lies cannot take more memory.
 */
export function readTrajectoryArchive(bytes: Uint8Array): Trajectory {
  if (bytes.byteLength > maxArchiveBytes) {
    throw new TrajectoryFormatError(`the archive is larger than ${maxArchiveBytes / 1024 / 1024} MiB`);
  }
  let declared = 0;
  unzip(bytes, (file) => {
    if (!wanted(file.name)) return false;
    if (file.originalSize > maxFileBytes) {
      throw new TrajectoryFormatError(`${file.name}: larger than ${maxFileBytes / 1024 / 1024} MiB unpacked`);
    }
    declared += file.originalSize;
    if (declared > maxUnpackedBytes) {
      throw new TrajectoryFormatError(
        `the archive unpacks to more than ${maxUnpackedBytes / 1024 / 1024} MiB (at ${file.name})`,
      );
    }
    return false;
  });
  const manifestFile = unzip(bytes, (file) => file.name === files.manifest)[files.manifest];
  if (!manifestFile) throw new TrajectoryFormatError(`${files.manifest}: missing from the archive`);
  const manifest = parseJson(files.manifest, strFromU8(manifestFile), trajectoryManifestSchema);
  const unzipped = unzip(bytes, (file) => file.name !== files.manifest && wanted(file.name));
  const text = (file: string) => {
    const content = unzipped[file];
    if (!content) throw new TrajectoryFormatError(`${file}: missing from the archive`);
    return strFromU8(content);
  };
  const steps = parseLines(files.steps, text(files.steps), trajectoryStepSchema);
  const messages = parseLines(files.messages, text(files.messages), trajectoryMessageSchema);
  const images = new Map<string, Uint8Array>();
  for (const [path, content] of Object.entries(unzipped)) {
    if (imagePathPattern.test(path)) images.set(path, content);
  }
  return { manifest, steps, messages, images };
}
