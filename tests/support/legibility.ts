import { spawn } from 'node:child_process';
import sharp from 'sharp';
import type { Region } from './desktop-scenes.ts';

/**
 * What Tesseract reads in a region of an image (any format sharp decodes). The region is enlarged to twice
 * its size first, the same for every encoding: Tesseract wants letters some 20 to 30 pixels high, and a
 * desktop's are 10 to 13 at the model's size. Light text on a dark ground (a terminal) is turned dark on
 * light first, and Tesseract told not to try both ways: it reads the same, in half the time. Text in one
 * block of lines (a terminal, an editor) is read as such (`--psm 6`): left to find the layout itself,
 * Tesseract splits a terminal's columns differently at each small change of the pixels, which would be
 * noise here, not legibility.
 */
export async function readText(
  image: Buffer,
  region: Region,
  options: { oneBlock?: boolean } = {},
): Promise<string> {
  const enlarge = 2;
  let prepared = sharp(image)
    .extract({ left: region.x, top: region.y, width: region.width, height: region.height })
    .resize(region.width * enlarge, region.height * enlarge, { kernel: 'lanczos3' })
    .grayscale();
  const { channels } = await prepared.clone().stats();
  const dark = (channels[0]?.mean ?? 255) < 110;
  if (dark) prepared = prepared.negate({ alpha: false });
  return tesseract(
    await prepared.png({ compressionLevel: 1 }).toBuffer(),
    dark,
    options.oneBlock ? '6' : '3',
  );
}

function tesseract(png: Buffer, inverted: boolean, layout: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // One thread each: the jobs run side by side, as many as there are cores.
    const child = spawn(
      'tesseract',
      ['stdin', 'stdout', '-l', 'eng', '--psm', layout, ...(inverted ? ['-c', 'tessedit_do_invert=0'] : [])],
      { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const output: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'tesseract is not installed: run packages/desktop/scripts/install-desktop.sh --with-test-tools',
            )
          : error,
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolvePromise(Buffer.concat(output).toString('utf8'));
      else reject(new Error(`tesseract exited with ${code}: ${Buffer.concat(errors).toString('utf8')}`));
    });
    child.stdin.end(png);
  });
}

/** The words of a text (runs of letters and digits), each with how often it occurs. */
function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.match(/[\p{L}\p{N}]+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/**
 * The characters of `truth` that were read: the letters and digits of each of its words read exactly
 * (case included), as many times as both have it. A word with one letter wrong counts nothing, and the
 * order the words are read in does not matter (Tesseract may take a page's blocks in another order).
 */
export function recoveredCharacters(truth: string, read: string): number {
  const found = wordCounts(read);
  let characters = 0;
  for (const [word, count] of wordCounts(truth))
    characters += Math.min(count, found.get(word) ?? 0) * word.length;
  return characters;
}

/** Runs the jobs, at most `limit` at a time, and returns their results in order. */
export async function inPool<Result>(jobs: Array<() => Promise<Result>>, limit: number): Promise<Result[]> {
  const results: Result[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next;
      next += 1;
      results[index] = await (jobs[index] as () => Promise<Result>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
