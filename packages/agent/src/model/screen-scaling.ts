import type { ComputerActionInput } from '@bytebot/protocol';

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/**
 * The largest screenshot each provider takes without resizing it on its side: a model that sees a
 * picture resized behind our back would point at the wrong pixels. Claude: long edge at most 1568 px
 * and about 1.15 megapixels. OpenAI (high detail): fits 2048x2048, then the short edge at most 768 px.
 * Gemini: up to 3072 px, so the screen goes as it is.
 */
export const screenshotLimits: Record<
  string,
  { maxLongEdge: number; maxShortEdge?: number; maxPixels?: number }
> = {
  anthropic: { maxLongEdge: 1568, maxPixels: 1_150_000 },
  openai: { maxLongEdge: 2048, maxShortEdge: 768 },
  'openai-compatible': { maxLongEdge: 2048, maxShortEdge: 768 },
  gemini: { maxLongEdge: 3072 },
};

/** The size the model is told and shown, for a screen and a provider. */
export function modelScreenSize(provider: string, screen: Size): Size {
  const limits = screenshotLimits[provider];
  if (!limits) return screen;
  const long = Math.max(screen.width, screen.height);
  const short = Math.min(screen.width, screen.height);
  const factor = Math.min(
    1,
    limits.maxLongEdge / long,
    limits.maxShortEdge ? limits.maxShortEdge / short : 1,
    limits.maxPixels ? Math.sqrt(limits.maxPixels / (screen.width * screen.height)) : 1,
  );
  return { width: Math.floor(screen.width * factor), height: Math.floor(screen.height * factor) };
}

/**
 * Maps points between the model's (scaled) picture and the real screen. The last pixel maps to the last
 * pixel at both ends, so corners land exactly; everything between is within a pixel of proportional.
 */
export class ScreenScaling {
  readonly model: Size;

  constructor(
    readonly screen: Size,
    provider: string,
  ) {
    this.model = modelScreenSize(provider, screen);
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
