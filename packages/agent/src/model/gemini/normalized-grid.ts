import type { Point, Size } from '../screen-scaling.ts';

/**
 * Gemini's computer use points on a 1000x1000 grid over the screenshot it saw: "`y`: int (0-999) `x`: int
 * (0-999)", and the client must "scale them from the normalized 1000x1000 coordinates", as Google's code
 * does with `int(x / 1000 * screen_width)` (https://ai.google.dev/gemini-api/docs/computer-use, step 3).
 */
export const gridSize = 1000;

/** A grid value as a pixel of an edge `pixels` long: truncated as Google's code does, kept on the picture. */
export function fromGrid(value: number, pixels: number): number {
  return Math.min(pixels - 1, Math.max(0, Math.floor((value / gridSize) * pixels)));
}

/** A grid point as a pixel of the picture the model saw. */
export function pointFromGrid(point: Point, picture: Size): Point {
  return { x: fromGrid(point.x, picture.width), y: fromGrid(point.y, picture.height) };
}
