import {
  describeEncoding,
  encodeScreenshot,
  type ImageEncoding,
  ModelCatalog,
  modelScreenSize,
} from '@bytebot/agent';
import { beforeAll, describe, expect, it } from 'vitest';
import { openScenes, type Region, type Scene } from './support/desktop-scenes.ts';
import { inPool, readText, recoveredCharacters } from './support/legibility.ts';
import { startTestDesktop } from './support/test-desktop.ts';

/**
 * The evidence for the encodings screenshots go to the models in (packages/agent/src/model/
 * screenshot-encoding.ts): real application windows on a real XFCE desktop, taken at each provider's
 * picture size as the agent stores them (lossless PNG, scaled by bytebotd), then encoded as the agent
 * sends them, and read by OCR. An encoding passes if Tesseract reads at most 1 % fewer characters from it
 * than from the PNG of the same size; every encoding a provider uses must pass.
 *
 * BYTEBOT_LEGIBILITY_CANDIDATES="webp:50,jpeg:70" adds other encodings to the table (not required to pass),
 * to choose new ones on the same evidence.
 */

const screen = { width: 1280, height: 960 };
const allowedLoss = 0.01;
const exploring = (process.env.BYTEBOT_LEGIBILITY_CANDIDATES ?? '') !== '';

/** One model of each computer tool and picture size we support. */
const models = [
  'claude-sonnet-5-5',
  'claude-sonnet-4-6',
  'gpt-5.5',
  'gpt-4.1',
  'gemini-3.5-flash',
  'gemini-2.5-flash',
  'local-vision-model',
];
const catalog = new ModelCatalog({
  ANTHROPIC_API_KEY: 'legibility',
  ANTHROPIC_MODELS: models.filter((model) => model.startsWith('claude')).join(','),
  OPENAI_API_KEY: 'legibility',
  OPENAI_MODELS: models.filter((model) => model.startsWith('gpt')).join(','),
  GEMINI_API_KEY: 'legibility',
  GEMINI_MODELS: models.filter((model) => model.startsWith('gemini')).join(','),
  OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1',
  OPENAI_COMPATIBLE_MODELS: 'local-vision-model',
});

interface Size {
  width: number;
  height: number;
}

interface Check {
  size: Size;
  encoding: ImageEncoding;
  /** The models (and which screenshots of theirs) that use it; none for a candidate. */
  usedBy: string[];
}

const sizeName = (size: Size) => `${size.width}x${size.height}`;

function checks(): Check[] {
  const found = new Map<string, Check>();
  const add = (size: Size, encoding: ImageEncoding, user?: string) => {
    const key = `${sizeName(size)} ${describeEncoding(encoding)}`;
    const check = found.get(key) ?? { size, encoding, usedBy: [] };
    if (user) check.usedBy.push(user);
    found.set(key, check);
  };
  const sizes = new Map<string, Size>();
  for (const model of models) {
    const resolved = catalog.resolve(model);
    if ('error' in resolved) throw new Error(resolved.error);
    const { provider } = resolved;
    const size = modelScreenSize(provider.screenshotLimit, screen);
    sizes.set(sizeName(size), size);
    const encoding = provider.screenshotEncoding;
    if (!encoding) continue;
    add(size, encoding.newest, `${model} (newest)`);
    add(size, encoding.older, `${model} (older)`);
  }
  for (const candidate of (process.env.BYTEBOT_LEGIBILITY_CANDIDATES ?? '').split(',').filter(Boolean)) {
    const [format, quality] = candidate.trim().split(':');
    if ((format !== 'jpeg' && format !== 'webp') || !quality)
      throw new Error(`not a candidate: ${candidate}`);
    for (const size of sizes.values()) add(size, { format, quality: Number(quality) });
  }
  return [...found.values()].filter((check) => check.encoding.format !== 'png');
}

interface Captured {
  scene: Scene;
  /** The window on the screen, in screen pixels. */
  region: Region;
  /** The screenshot as the agent stores it, by size. */
  pngs: Map<string, Buffer>;
}

/** The window's region in a screenshot scaled to `size`. */
function scaled(region: Region, size: Size): Region {
  const x = Math.floor((region.x * size.width) / screen.width);
  const y = Math.floor((region.y * size.height) / screen.height);
  const right = Math.min(size.width, Math.ceil(((region.x + region.width) * size.width) / screen.width));
  const bottom = Math.min(size.height, Math.ceil(((region.y + region.height) * size.height) / screen.height));
  return { x, y, width: right - x, height: bottom - y };
}

const median = (values: number[]) =>
  [...values].sort((first, second) => first - second)[values.length >> 1] ?? 0;

describe('screenshots for the model: as legible as the lossless PNG', () => {
  const captured: Captured[] = [];
  const checked = checks();
  const sizes = new Map(checked.map((check) => [sizeName(check.size), check.size]));

  beforeAll(async () => {
    const test = await startTestDesktop({ session: 'xfce', screen });
    try {
      const opened = await openScenes(test.desktop);
      try {
        for (const scene of opened.scenes) {
          const region = await opened.show(scene);
          // The full screen once it is still, then the model's sizes of the same frame, as the agent gets them.
          const settled = await test.bytebotd.client.wait(0, { screenshotAfter: { format: 'png' } });
          const full = Buffer.from((settled.screenshot as { image: string }).image, 'base64');
          const pngs = new Map([[sizeName(screen), full]]);
          for (const [name, size] of sizes) {
            if (pngs.has(name)) continue;
            const shot = await test.bytebotd.client.screenshot({ format: 'png', ...size });
            pngs.set(name, Buffer.from(shot.image, 'base64'));
          }
          captured.push({ scene, region, pngs });
        }
      } finally {
        await opened.close();
      }
    } finally {
      // Stopped before the reading, which wants both cores.
      await test.stop();
    }
  }, 90_000);

  it(
    "loses at most 1 % of the characters PNG recovers, at every provider's size and encoding",
    async () => {
      // Where we did not write the text (the settings dialog), the truth is what OCR reads at full size.
      const truths = await Promise.all(
        captured.map(
          async ({ scene, region, pngs }) =>
            scene.truth ?? (await readText(pngs.get(sizeName(screen)) as Buffer, region, scene)),
        ),
      );
      interface Reading {
        /** -1 for a lossless copy: the PNG's pixels, read the same. */
        characters: number;
        bytes: number;
        pngBytes: number;
        encodeMs: number;
      }
      const jobs: Array<() => Promise<void>> = [];
      /** Characters recovered from the PNG, by scene index and size. */
      const fromPng = new Map<string, number>();
      /** By check and scene index. */
      const readings = new Map<Check, Reading[]>();
      for (const [index, { scene, region, pngs }] of captured.entries()) {
        const truth = truths[index] as string;
        for (const [name, size] of sizes) {
          const png = pngs.get(name) as Buffer;
          const area = scaled(region, size);
          jobs.push(async () => {
            fromPng.set(`${index} ${name}`, recoveredCharacters(truth, await readText(png, area, scene)));
          });
          for (const check of checked.filter((candidate) => sizeName(candidate.size) === name)) {
            jobs.push(async () => {
              const started = performance.now();
              const encoded = await encodeScreenshot(png, 'image/png', check.encoding, {
                atScreenPixels: name === sizeName(screen),
              });
              const encodeMs = performance.now() - started;
              // A lossless copy (the PNG itself, or lossless WebP when smaller) has the PNG's pixels.
              const characters = encoded.lossless
                ? -1
                : recoveredCharacters(truth, await readText(encoded.data, area, scene));
              const list = readings.get(check) ?? [];
              list[index] = { characters, bytes: encoded.data.length, pngBytes: png.length, encodeMs };
              readings.set(check, list);
            });
          }
        }
      }
      await inPool(jobs, 2);

      const lines: string[] = [];
      const failures: string[] = [];
      const sceneNames = captured.map(({ scene }) => scene.name);
      lines.push(
        `${'size'.padEnd(10)} ${'encoding'.padEnd(10)} ${'bytes vs PNG'.padEnd(18)} ${'lossless'.padEnd(9)} ${'encode'.padEnd(8)} ${'chars (PNG)'.padEnd(14)} ${'lost'.padEnd(7)} ${sceneNames.map((name) => name.padEnd(9)).join(' ')} used by`,
      );
      for (const check of checked) {
        const name = sizeName(check.size);
        const list = readings.get(check) ?? [];
        let characters = 0;
        let png = 0;
        const perScene = list.map((reading, index) => {
          const reference = fromPng.get(`${index} ${name}`) ?? 0;
          const read = reading.characters < 0 ? reference : reading.characters;
          characters += read;
          png += reference;
          return reference === 0 ? 0 : (reference - read) / reference;
        });
        const loss = png === 0 ? 0 : (png - characters) / png;
        const bytes = list.reduce((sum, reading) => sum + reading.bytes, 0);
        const pngBytes = list.reduce((sum, reading) => sum + reading.pngBytes, 0);
        lines.push(
          `${name.padEnd(10)} ${describeEncoding(check.encoding).padEnd(10)} ${`${(bytes / 1024).toFixed(0)} / ${(pngBytes / 1024).toFixed(0)} KB`.padEnd(18)} ${`${list.filter((reading) => reading.characters < 0).length}/${list.length}`.padEnd(9)} ${`${median(list.map((reading) => reading.encodeMs)).toFixed(0)} ms`.padEnd(8)} ${`${characters} (${png})`.padEnd(14)} ${`${(loss * 100).toFixed(2)}%`.padEnd(7)} ${perScene.map((value) => `${(value * 100).toFixed(1)}%`.padEnd(9)).join(' ')} ${check.usedBy.join(', ') || '(candidate)'}`,
        );
        if (check.usedBy.length > 0 && loss > allowedLoss)
          failures.push(
            `${describeEncoding(check.encoding)} at ${name} loses ${(loss * 100).toFixed(2)}% of the characters PNG recovers (used by ${check.usedBy.join(', ')})`,
          );
      }
      console.log(
        `\nscreenshot legibility (Tesseract; characters of words read exactly)\n${lines.join('\n')}\n`,
      );
      expect(failures, lines.join('\n')).toEqual([]);
    },
    exploring ? 1_800_000 : 150_000,
  );
});
