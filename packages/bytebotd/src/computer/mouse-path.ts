import type { Point } from './raw-input.ts';

/** Longest jump between two pointer events; applications track drags from motion events, not end points. */
const maximumStepPixels = 20;

/** The path's points with intermediate points added so no step is longer than maximumStepPixels. */
export function interpolatePath(path: readonly Point[]): Point[] {
  const result: Point[] = [];
  let previous: Point | undefined;
  for (const point of path) {
    if (previous) {
      const distance = Math.hypot(point.x - previous.x, point.y - previous.y);
      const steps = Math.ceil(distance / maximumStepPixels);
      for (let step = 1; step < steps; step += 1) {
        result.push({
          x: Math.round(previous.x + ((point.x - previous.x) * step) / steps),
          y: Math.round(previous.y + ((point.y - previous.y) * step) / steps),
        });
      }
    }
    result.push(point);
    previous = point;
  }
  return result;
}
