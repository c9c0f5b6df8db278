import type { FrameLocator, Locator } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The noVNC canvas of a live view, once it is visible at the desktop's own size (noVNC draws it at the
 * size the VNC server announced, so a wrong desktop or a scaled stream shows here).
 */
export async function liveCanvas(
  frame: FrameLocator,
  screen: { width: number; height: number } = { width: 1280, height: 960 },
): Promise<Locator> {
  const canvas = frame.locator('#noVNC_container canvas');
  await canvas.waitFor({ state: 'visible', timeout: 30_000 });
  await expect
    .poll(
      () =>
        canvas.evaluate(
          (element) => `${(element as HTMLCanvasElement).width}x${(element as HTMLCanvasElement).height}`,
        ),
      { timeout: 30_000 },
    )
    .toBe(`${screen.width}x${screen.height}`);
  return canvas;
}
