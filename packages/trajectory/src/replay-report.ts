import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReplayReport } from './replay.ts';

/**
 * Writes a replay's report to a folder: `replay.json`, and at a divergence `expected.png` (the recording),
 * `actual.png` (the screen now) and `difference.png` (the differing pixels in red). Answers the paths.
 */
export async function writeReplayReport(folder: string, report: ReplayReport): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  const { divergence, ...rest } = report;
  const images: Array<[string, Buffer | undefined]> = divergence
    ? [
        ['expected.png', divergence.expected],
        ['actual.png', divergence.actual],
        ['difference.png', divergence.differenceImage],
      ]
    : [];
  for (const [name, bytes] of images) {
    if (!bytes) continue;
    await writeFile(join(folder, name), bytes);
    written.push(join(folder, name));
  }
  const summary = divergence
    ? {
        ...rest,
        divergence: {
          step: divergence.step,
          call: divergence.call,
          difference: divergence.difference,
          reason: divergence.reason,
          images: images.filter(([, bytes]) => bytes).map(([name]) => name),
        },
      }
    : rest;
  await writeFile(join(folder, 'replay.json'), `${JSON.stringify(summary, null, 2)}\n`);
  written.unshift(join(folder, 'replay.json'));
  return written;
}
