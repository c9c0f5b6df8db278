import { Button, Point as NutPoint, providerRegistry } from '@nut-tree-fork/nut-js';
import type { MouseButton, RawMouse, ScrollDirection } from './raw-input.ts';

const nutButtons: Record<MouseButton, Button> = {
  left: Button.LEFT,
  right: Button.RIGHT,
  middle: Button.MIDDLE,
};

/**
 * The mouse through nut-js's mouse provider (its libnut binding), not its `mouse` object: that one
 * awaits `sleep(autoDelayMs)` before every press, release and scroll, and even at 0 ms that is a timer
 * of about 1 ms each, two thirds of a click. Waits are explicit in the actions instead.
 */
export function createNutMouse(): RawMouse {
  const provider = () => providerRegistry.getMouse();
  // libnut's own pause after each event; nut-js's mouse sets it to 0 too, but only when it is constructed.
  provider().setMouseDelay(0);
  return {
    async move(point) {
      await provider().setMousePosition(new NutPoint(point.x, point.y));
    },
    async position() {
      const point = await provider().currentMousePosition();
      return { x: point.x, y: point.y };
    },
    async toggle(button, down) {
      if (down) await provider().pressButton(nutButtons[button]);
      else await provider().releaseButton(nutButtons[button]);
    },
    async scroll(direction: ScrollDirection, steps: number) {
      if (direction === 'up') await provider().scrollUp(steps);
      else if (direction === 'down') await provider().scrollDown(steps);
      // libnut sends X button 6 (which X means as "left") for its scrollRight and 7 for scrollLeft:
      // swapped here, so "right" reaches applications as right.
      else if (direction === 'left') await provider().scrollRight(steps);
      else await provider().scrollLeft(steps);
    },
  };
}
