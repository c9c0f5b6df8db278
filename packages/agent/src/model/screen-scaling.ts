import type { ComputerActionInput } from '@bytebot/protocol';

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** The largest picture a model takes without resizing it on its side (or refusing it). */
export interface ScreenshotLimit {
  maxLongEdge: number;
  maxShortEdge?: number;
  maxPixels?: number;
  /** At most `count` tiles of `size` x `size` pixels, each edge rounded up to whole tiles. */
  maxTiles?: { size: number; count: number };
}

/**
 * Each provider's limits: a model that sees a picture resized behind our back points at the wrong
 * pixels, and Claude's computer toolset refuses an oversized screenshot outright. Claude
 * (https://platform.claude.com/docs/en/build-with-claude/vision, and the computer use tool page):
 * Opus 4.7 and later, every toolset model among them, take 2576 px on the long edge and 4784 visual
 * tokens of 28x28 px; earlier models 1568 px and about 1.15 megapixels. OpenAI (high detail): fits
 * 2048x2048, then the short edge at most 768 px. Gemini: up to 3072 px, so the screen goes as it is.
 */
export const screenshotLimits = {
  claudeHighResolution: { maxLongEdge: 2576, maxTiles: { size: 28, count: 4784 } },
  claudeStandard: { maxLongEdge: 1568, maxPixels: 1_150_000 },
  openai: { maxLongEdge: 2048, maxShortEdge: 768 },
  gemini: { maxLongEdge: 3072 },
} satisfies Record<string, ScreenshotLimit>;

function tiles(size: Size, tile: number): number {
  return Math.ceil(size.width / tile) * Math.ceil(size.height / tile);
}

/** The size the model is told and shown, for a screen and a model's limits. */
export function modelScreenSize(limits: ScreenshotLimit, screen: Size): Size {
  const long = Math.max(screen.width, screen.height);
  const short = Math.min(screen.width, screen.height);
  const factor = Math.min(
    1,
    limits.maxLongEdge / long,
    limits.maxShortEdge ? limits.maxShortEdge / short : 1,
    limits.maxPixels ? Math.sqrt(limits.maxPixels / (screen.width * screen.height)) : 1,
  );
  const scaled = (by: number) => ({
    width: Math.floor(screen.width * by),
    height: Math.floor(screen.height * by),
  });
  let size = scaled(factor);
  const tile = limits.maxTiles;
  // Rounding each edge up to whole tiles can pass the count where the area does not: shrink until it fits.
  for (let by = factor; tile && tiles(size, tile.size) > tile.count; by *= 0.99) size = scaled(by);
  return size;
}

/**
 * Maps points between the model's (scaled) picture and the real screen. The last pixel maps to the last
 * pixel at both ends, so corners land exactly; everything between is within a pixel of proportional.
 */
export class ScreenScaling {
  readonly model: Size;

  constructor(
    readonly screen: Size,
    limits: ScreenshotLimit,
  ) {
    this.model = modelScreenSize(limits, screen);
  }

  get isIdentity(): boolean {
    return this.model.width === this.screen.width && this.model.height === this.screen.height;
  }

  private static map(value: number, from: number, to: number): number {
    if (from <= 1) return 0;
    return Math.min(to - 1, Math.max(0, Math.round((value * (to - 1)) / (from - 1))));
  }

  toScreen(point: Point): Point {
    return {
      x: ScreenScaling.map(point.x, this.model.width, this.screen.width),
      y: ScreenScaling.map(point.y, this.model.height, this.screen.height),
    };
  }

  toModel(point: Point): Point {
    return {
      x: ScreenScaling.map(point.x, this.screen.width, this.model.width),
      y: ScreenScaling.map(point.y, this.screen.height, this.model.height),
    };
  }

  /** An action the model chose, in screen pixels: its points, paths and regions mapped. */
  actionToScreen(action: ComputerActionInput): ComputerActionInput {
    if (this.isIdentity) return action;
    const mapped: Record<string, unknown> = { ...action };
    if ('coordinates' in action && action.coordinates) mapped.coordinates = this.toScreen(action.coordinates);
    if ('path' in action && Array.isArray(action.path))
      mapped.path = action.path.map((point) => this.toScreen(point));
    const region = (action as { region?: Point & Size }).region;
    if (region) {
      const start = this.toScreen(region);
      const end = this.toScreen({ x: region.x + region.width - 1, y: region.y + region.height - 1 });
      mapped.region = { x: start.x, y: start.y, width: end.x - start.x + 1, height: end.y - start.y + 1 };
    }
    return mapped as ComputerActionInput;
  }
}
